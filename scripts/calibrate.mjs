#!/usr/bin/env node
// Calibration of the engine against a real cluster, generated rather than
// typed: runs `repl-lab live FILE --runs N --trials T --json` for each crash
// scenario, builds one markdown table (engine write RTO p50 (p95) over the
// trials, the live RTO of every run, the live/sim median ratio and whether it
// is within ±20 %, acknowledged writes lost on each side, ambiguous writes),
// stamps it with the date, the machine and the PostgreSQL / Patroni / etcd
// versions the runs reported, prints it, and writes it into README.md between
// <!-- calibration:start --> and <!-- calibration:end -->.
//
//   npm run calibrate                       # all scenarios, 3 live runs each (20-40 minutes)
//   node scripts/calibrate.mjs --only leader-crash --runs 1
//   node scripts/calibrate.mjs --only leader-crash,stall-then-crash-sync --no-write
//
// Exit code: 0 every ratio within ±20 %; 1 some scenario outside; 2 usage
// error or a live run that produced no result. Build first (npm run build).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "bin", "repl-lab.js");
const README = join(ROOT, "README.md");
const START = "<!-- calibration:start -->";
const END = "<!-- calibration:end -->";
const TOLERANCE = 0.2;

/** The calibration set, in table order. */
const SCENARIOS = [
  "scenarios/live/leader-crash.yaml",
  "scenarios/live/leader-crash-defaults.yaml",
  "scenarios/live/stall-then-crash-async.yaml",
  "scenarios/live/stall-then-crash-sync.yaml",
  "scenarios/leader-dies-in-az-a.yaml",
];
const nameOf = (file) => basename(file).replace(/\.ya?ml$/, "");

function usage(message) {
  if (message) console.error(`calibrate: ${message}`);
  console.error(
    [
      "usage: node scripts/calibrate.mjs [--only NAME[,NAME...]] [--runs N] [--trials N] [--no-write]",
      `  NAME: ${SCENARIOS.map(nameOf).join(", ")}`,
      "  --runs N    live runs per scenario (default 3)",
      "  --trials N  engine trials for the simulated side (default 20)",
      "  --no-write  print the table without touching README.md",
    ].join("\n"),
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { only: null, runs: 3, trials: 20, write: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (v === undefined || v.startsWith("--")) usage(`${arg} needs a value`);
      return v;
    };
    const count = (v, flag) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) usage(`${flag} takes a positive whole number, got "${v}"`);
      return n;
    };
    if (arg === "--only" || arg.startsWith("--only=")) opts.only = [...(opts.only ?? []), ...value().split(",").map((s) => nameOf(s.trim())).filter(Boolean)];
    else if (arg === "--runs" || arg.startsWith("--runs=")) opts.runs = count(value(), "--runs");
    else if (arg === "--trials" || arg.startsWith("--trials=")) opts.trials = count(value(), "--trials");
    else if (arg === "--no-write") opts.write = false;
    else if (arg === "-h" || arg === "--help") usage();
    else usage(`unknown argument "${arg}"`);
  }
  if (opts.only) {
    const unknown = opts.only.filter((n) => !SCENARIOS.some((f) => nameOf(f) === n));
    if (unknown.length > 0) usage(`no calibration scenario named ${unknown.join(", ")}`);
  }
  return opts;
}

/** One `repl-lab live --json` run; resolves to the parsed report, or throws with the CLI's last words. */
function runLive(file, runs, trials) {
  return new Promise((resolve, reject) => {
    const args = [CLI, "live", join(ROOT, file), "--runs", String(runs), "--trials", String(trials), "--json"];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      // Unmet expectations exit 1 but still print the full report: the report decides, not the code.
      try {
        const report = JSON.parse(out);
        if (!report?.live?.comparison) throw new Error("no live comparison in the output");
        resolve(report);
      } catch (e) {
        const tail = err.trim().split("\n").slice(-5).join(" | ") || out.trim().split("\n").slice(-3).join(" | ");
        reject(new Error(`exit ${code}: ${tail || e.message}`));
      }
    });
  });
}

const seconds = (ms) => (ms === null || ms === undefined ? "never" : `${(ms / 1000).toFixed(1)}s`);
const count = (n) => Number(n).toLocaleString("en-US");
const join3 = (xs) => xs.join(" / ");

/** "3 nodes, strict sync, ttl 10s" from the cluster the run actually configured. */
function describe(report) {
  const c = report.live.cluster;
  const sync = c.dcs.synchronous_mode === false ? "async" : `${c.dcs.synchronous_mode_strict ? "strict " : ""}sync`;
  const stall = c.faults.some((f) => f.kind === "stall") ? ", WAL senders stalled first" : "";
  return `${c.nodes.length} nodes, ${sync}, ttl ${c.dcs.ttl}s / loop_wait ${c.dcs.loop_wait}s${stall}`;
}

/** One row per data class (one class: the scenario's name alone). */
function rowsOf(file, report) {
  const comparison = report.live.comparison;
  const simClasses = report.simulated.classes;
  const many = comparison.classes.length > 1;
  return comparison.classes.map((c) => {
    const sim = simClasses.find((s) => s.name === c.name);
    const p95 = sim?.trials ? sim.trials.rtoMs.p95 : null;
    const ratio = c.rtoRatio;
    const within = ratio !== null && Math.abs(ratio - 1) <= TOLERANCE + 1e-9;
    const ambiguous = report.live.runs.map((r) => r.ambiguousByClass?.[c.name] ?? 0);
    const liveWindow = report.live.runs.map((r) => r.classes.find((x) => x.name === c.name)?.rpo.windowMs ?? 0);
    const lostLive = c.liveLostAckedWrites.some((n) => n > 0) ? `${join3(c.liveLostAckedWrites.map(count))} (window ${join3(liveWindow.map(seconds))})` : join3(c.liveLostAckedWrites.map(count));
    const simWindow = sim?.rpo.windowMs ?? 0;
    return {
      scenario: nameOf(file),
      within,
      cells: [
        `${many ? `${nameOf(file)} · ${c.name}` : nameOf(file)} (${describe(report)})`,
        `${seconds(c.simulatedRtoP50Ms)} (${seconds(p95)})`,
        join3(c.liveRtoMs.map(seconds)),
        ratio === null ? "–" : ratio.toFixed(2),
        ratio === null ? "no" : within ? "yes" : "**no**",
        `${count(c.simulatedLostAckedWrites)}${c.simulatedLostAckedWrites > 0 ? ` (window ${seconds(simWindow)})` : ""} (seed ${report.simulated.seed})`,
        lostLive,
        join3(ambiguous.map(count)),
      ],
    };
  });
}

function machine() {
  let cores = availableParallelism();
  try {
    cores = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || cores;
  } catch {
    // No coreutils: the runtime's count.
  }
  let os = process.platform;
  try {
    os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? os;
  } catch {
    // Not Linux, or no os-release.
  }
  return `${os}, ${cores} core${cores === 1 ? "" : "s"} (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
}

function table(rows, meta) {
  const header = [
    "scenario",
    `engine write RTO p50 (p95), ${meta.trials} trials`,
    `live RTO, ${meta.runs} run${meta.runs === 1 ? "" : "s"}`,
    "live/sim (median)",
    "within 20 %?",
    "engine lost",
    "live lost",
    "live ambiguous",
  ];
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  const lines = [
    `Generated by \`scripts/calibrate.mjs\` on ${meta.date} · ${meta.machine} · PostgreSQL ${meta.versions.postgres}, Patroni ${meta.versions.patroni}, etcd ${meta.versions.etcd} · ${meta.runs} live run${meta.runs === 1 ? "" : "s"} per scenario, ${meta.trials} engine trials${meta.only ? ` · only ${meta.only.join(", ")}` : ""}.`,
    "",
    line(header),
    line(header.map(() => "---")),
    ...rows.map((r) => line(r.cells)),
  ];
  if (meta.failures.length > 0) lines.push("", ...meta.failures.map((f) => `- ${f.scenario}: no result (${f.error})`));
  lines.push(
    "",
    meta.failures.length > 0
      ? `${meta.failures.length} scenario${meta.failures.length === 1 ? "" : "s"} produced no result.`
      : rows.every((r) => r.within)
        ? "Every live/sim median ratio is within ±20 %."
        : `Outside ±20 %: ${[...new Set(rows.filter((r) => !r.within).map((r) => r.scenario))].join(", ")}.`,
  );
  return lines.join("\n");
}

const SECTION = [
  "#### Calibration against a real cluster",
  "",
  "`npm run calibrate` runs each crash scenario of `scenarios/live/` and the payments demo",
  "(`scenarios/leader-dies-in-az-a.yaml`) on a live cluster, three runs each against 20 engine",
  "trials, and writes the table below (`--only NAME`, `--runs N`, `--trials N`, `--no-write`); it",
  "exits 1 when a live/sim median ratio is outside ±20 %. The table is generated; do not edit it.",
  "",
  START,
  END,
  "",
].join("\n");

/** README with the table between the markers (the markers and their subsection added when missing). */
function withTable(readme, body) {
  let text = readme;
  if (!text.includes(START) || !text.includes(END)) {
    const anchor = text.indexOf("### `repl-lab init");
    text = anchor >= 0 ? `${text.slice(0, anchor)}${SECTION}\n${text.slice(anchor)}` : `${text.trimEnd()}\n\n${SECTION}`;
  }
  const a = text.indexOf(START);
  const b = text.indexOf(END, a);
  if (a < 0 || b < 0) throw new Error(`README.md: ${END} does not follow ${START}`);
  return `${text.slice(0, a + START.length)}\n${body}\n${text.slice(b)}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const files = SCENARIOS.filter((f) => !opts.only || opts.only.includes(nameOf(f)));
  const rows = [];
  const failures = [];
  let versions = null;
  for (const [i, file] of files.entries()) {
    console.error(`calibrate: [${i + 1}/${files.length}] repl-lab live ${file} --runs ${opts.runs} --trials ${opts.trials} --json`);
    const started = Date.now();
    try {
      const report = await runLive(file, opts.runs, opts.trials);
      versions ??= report.live.cluster.versions;
      const these = rowsOf(file, report);
      rows.push(...these);
      console.error(`calibrate: ${nameOf(file)} done in ${Math.round((Date.now() - started) / 1000)}s: ${these.map((r) => `${r.cells[2]} vs ${r.cells[1]} → ${r.cells[3]}`).join("; ")}`);
    } catch (e) {
      failures.push({ scenario: nameOf(file), error: e.message });
      console.error(`calibrate: ${nameOf(file)} failed: ${e.message}`);
    }
  }
  const meta = {
    date: startedAt.toISOString().replace(/:\d\d\.\d+Z$/, " UTC").replace("T", " "),
    machine: machine(),
    versions: versions ?? { postgres: "?", patroni: "?", etcd: "?" },
    runs: opts.runs,
    trials: opts.trials,
    only: opts.only,
    failures,
  };
  const body = table(rows, meta);
  console.log(body);
  if (opts.write && rows.length > 0) {
    writeFileSync(README, withTable(readFileSync(README, "utf8"), body));
    console.error(`calibrate: table written to ${relative(process.cwd(), README) || README}`);
  }
  process.exitCode = failures.length > 0 ? 2 : rows.every((r) => r.within) ? 0 : 1;
}

main().catch((e) => {
  console.error(`calibrate: ${e.stack ?? e.message}`);
  process.exit(2);
});
