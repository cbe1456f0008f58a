// `npm run bench`: the performance figures, each measured in this run beside
// the reference it is compared with (medians of several runs; peak memory
// from the kernel's accounting of a child process). Performance targets live
// here, never in timed tests.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { loadFile } from "../src/model/load.js";
import { simulate } from "../src/engine/simulate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const bin = join(root, "bin", "repl-lab.js");
const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (s: number) => `${s.toFixed(2)}s`;

function row(name: string, value: string, goal: string): void {
  console.log(`${name.padEnd(49)} ${value.padEnd(34)} goal: ${goal}`);
}

/** Wall time of a command, median of `runs`. */
function wall(args: string[], times = runs): number {
  const xs: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    spawnSync(process.execPath, args, { stdio: "ignore" });
    xs.push((performance.now() - start) / 1000);
  }
  return median(xs);
}

/** Peak resident memory (MB) of a child running the CLI, from /usr/bin/time when present. */
function peakMb(args: string[]): number | null {
  if (!existsSync("/usr/bin/time")) return null;
  // The report itself is not read (a long run's JSON is over spawnSync's 1 MB buffer, which would kill the child).
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, bin, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  const kb = Number(r.stderr?.trim().split("\n").pop());
  if (r.status !== 0 || !Number.isFinite(kb) || kb <= 0) throw new Error(`bench: repl-lab ${args.join(" ")} failed (exit ${r.status}): ${r.stderr?.trim().split("\n").slice(-3).join(" / ")}`);
  return kb / 1024;
}

/**
 * The floor an event queue could reach: events per second through a bare
 * binary heap of (time, event) in typed arrays under the classic hold model
 * of event-queue benchmarks: the queue holds `size` pending events and each
 * event is one pop followed by one push a random (exponential) time later, as
 * in a simulation in steady state. One event = one pop + one push.
 */
function bareHeapRate(events: number, size = 1024): number {
  const keys = new Float64Array(size + 1);
  const vals = new Int32Array(size + 1);
  let x = 1;
  const draw = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return -Math.log(1 - x / 2147483648);
  };
  const up = (k: number, key: number, val: number) => {
    while (k > 1 && keys[k >> 1] > key) {
      keys[k] = keys[k >> 1];
      vals[k] = vals[k >> 1];
      k >>= 1;
    }
    keys[k] = key;
    vals[k] = val;
  };
  for (let i = 1; i <= size; i++) up(i, draw(), i);
  const start = performance.now();
  for (let i = 0; i < events; i++) {
    // Pop the earliest, then push its successor: sift the new key down from the root.
    const now = keys[1];
    const key = now + draw();
    const val = vals[1] + 1;
    let k = 1;
    for (;;) {
      let c = k * 2;
      if (c > size) break;
      if (c < size && keys[c + 1] < keys[c]) c++;
      if (keys[c] >= key) break;
      keys[k] = keys[c];
      vals[k] = vals[c];
      k = c;
    }
    keys[k] = key;
    vals[k] = val;
  }
  return events / ((performance.now() - start) / 1000);
}

function engineRows(): void {
  const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? join(root, "bench", "standard.yaml");
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  const times: number[] = [];
  let events = 0;
  let operations = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = simulate(loaded.scenario, { seed: loaded.scenario.seed + i });
    times.push((performance.now() - start) / 1000);
    // stats.events counts queued events and write arrivals; reads are served inline, without the queue.
    events = result.stats.events;
    operations = events + result.totals.readsServed + result.totals.readsRejected;
  }
  const s = loaded.scenario;
  const m = median(times);
  row(`bench: ${s.durationMs / 60_000} min, ${s.workload.writes} w/s + ${s.workload.reads} r/s`, `${seconds(m)} median of ${runs}`, "< 1.5s");
  const floor = median(Array.from({ length: runs }, () => bareHeapRate(4_000_000)));
  const rate = (n: number) => Math.round(n).toLocaleString("en-US");
  row("engine events/s vs a bare heap (hold model)", `${rate(events / m)} vs ${rate(floor)} (${Math.round((100 * events) / m / floor)}%)`, ">= 40%");
  row("  with reads served inline (operations/s)", `${rate(operations / m)} (${Math.round((100 * operations) / m / floor)}% of the floor)`, "(context)");
}

/** Cold starts of the real bin beside bare node's, taken in turns so that each round shares the machine's load; medians of `rounds`. */
function coldStarts(commands: Record<string, string[]>, rounds: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) for (const [name, args] of Object.entries(commands)) times[name].push(wall(args, 1));
  return Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, median(xs)]));
}

function commandRows(): void {
  const { bare, validate, version } = coldStarts({ bare: ["-e", "0"], validate: [bin, "validate", join(root, "topologies/payments.yaml")], version: [bin, "--version"] }, 15);
  // The bin runs tsc's output instead of the bundle when the bundle is older (a build by tsc alone).
  const modified = (file: string) => statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (modified("dist/bundle/cli/main.js") < Math.max(modified("dist/src/cli/main.js"), modified("dist/.tsbuildinfo"))) console.log("(the bundle is missing or older than dist/src: these starts are tsc's output's; npm run build makes it)");
  if (modified("dist/bundle/cli/quick.cache") < 0) console.log("(no code cache for quick.cjs: these starts are the ES modules'; npm run build records it)");
  row("validate cold start vs node -e 0", `${seconds(validate)} vs ${seconds(bare)} (${(validate / bare).toFixed(1)}x)`, "<= 2x");
  row("--version cold start vs node -e 0", `${seconds(version)} vs ${seconds(bare)} (${(version / bare).toFixed(1)}x)`, "<= 2x");
  // The goal's own count, not a smaller run scaled up: the pool's start and the workers' warm-up are part of it.
  const trials = wall([bin, "simulate", join(root, "scenarios/leader-dies-in-az-a.yaml"), "--trials", "1000", "--json"], 1);
  row("flagship --trials 1000 (a worker per core)", seconds(trials), "<= 10s");
  // The same command without --latency beside it: the part of the wall time that is the CLI starting, not the Monte Carlo.
  const quorumArgs = [bin, "quorum", "--n", "3", "--r", "1", "--w", "1"];
  const quorum = wall([...quorumArgs, "--latency", join(root, "scenarios/latency/lnkd-disk.yaml"), "--trials", "1000000"], 5);
  const quorumStart = wall(quorumArgs, 5);
  row("quorum --latency --trials 1000000", `${seconds(quorum)} (${seconds(quorumStart)} of it starting up)`, "< 1s wall");
}

function memoryRows(): void {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-bench-"));
  try {
    // At 100,000 writes/s the payments replicas (20,000 writes/s of replay each) would fall minutes behind, and their
    // growing backlog is state the engine must keep: the high-rate row gives them a replay rate that keeps up.
    const payments = readFileSync(join(root, "topologies/payments.yaml"), "utf8");
    const fast = join(dir, "payments-fast-replay.yaml");
    writeFileSync(fast, payments.replace(/apply_rate: \d+/, "apply_rate: 200000"));
    const scenario = (name: string, topology: string, duration: string, writes: number, reads: number) => {
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, `kind: scenario\nname: ${name}\ntopology: ${topology}\nduration: ${duration}\nworkload: { writes: ${writes}, reads: ${reads} }\n`);
      return path;
    };
    const measured = new Map<string, number | null>();
    for (const [name, topology, duration, writes, reads, goal] of [
      ["100k-writes-2m", fast, "2m", 100_000, 0, "< 300 MB"],
      ["10-min", join(root, "topologies/payments.yaml"), "10m", 2000, 8000, "flat from 10 to 60 min"],
      ["60-min", join(root, "topologies/payments.yaml"), "60m", 2000, 8000, "1 h < 400 MB, flat"],
    ] as const) {
      const mb = peakMb(["simulate", scenario(name, topology, duration, writes, reads), "--json"]);
      measured.set(name, mb);
      const flat = name === "60-min" && mb !== null && measured.get("10-min") ? ` (${(mb / measured.get("10-min")!).toFixed(2)}x the 10 min run)` : "";
      const label = name === "100k-writes-2m" ? `peak memory: ${writes} w/s for ${duration} (replay keeps up)` : `peak memory: ${writes} w/s + ${reads} r/s for ${duration}`;
      row(label, mb === null ? "(no /usr/bin/time)" : `${Math.round(mb)} MB${flat}`, goal);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

engineRows();
commandRows();
if (!process.argv.includes("--no-memory")) memoryRows();
