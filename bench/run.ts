// `npm run bench`: the performance figures, each measured in this run beside
// the reference it is compared with (medians of several runs; peak memory
// from the kernel's accounting of a child process). Performance targets live
// here, never in timed tests.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  console.log(`${name.padEnd(44)} ${value.padEnd(34)} goal: ${goal}`);
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
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, bin, ...args], { encoding: "utf8" });
  const kb = Number(r.stderr?.trim().split("\n").pop());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
}

/** Pops per second of a bare binary heap of (time, event) in typed arrays: the floor an event queue could reach. */
function bareHeapRate(count: number): number {
  const keys = new Float64Array(count + 1);
  const vals = new Int32Array(count + 1);
  let size = 0;
  let x = 1;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    let k = ++size;
    const key = x / 1000;
    while (k > 1 && keys[k >> 1] > key) {
      keys[k] = keys[k >> 1];
      vals[k] = vals[k >> 1];
      k >>= 1;
    }
    keys[k] = key;
    vals[k] = i;
  }
  while (size > 0) {
    const key = keys[size];
    const val = vals[size--];
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
  return (count * 2) / ((performance.now() - start) / 1000);
}

function engineRows(): void {
  const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? join(root, "bench", "standard.yaml");
  const loaded = loadFile(file);
  if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
  const times: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    events = simulate(loaded.scenario, { seed: loaded.scenario.seed + i }).stats.events;
    times.push((performance.now() - start) / 1000);
  }
  const s = loaded.scenario;
  const m = median(times);
  row(`bench: ${s.durationMs / 60_000} min, ${s.workload.writes} w/s + ${s.workload.reads} r/s`, `${seconds(m)} median of ${runs}`, "< 1.5s");
  const floor = median(Array.from({ length: runs }, () => bareHeapRate(2_000_000)));
  row("engine events/s vs a bare typed-array heap", `${Math.round(events / m).toLocaleString("en-US")} vs ${Math.round(floor).toLocaleString("en-US")} (${Math.round((100 * events) / m / floor)}%)`, ">= 40%");
}

function commandRows(): void {
  const bare = wall(["-e", "0"], 5);
  const validate = wall([bin, "validate", join(root, "topologies/payments.yaml")], 5);
  const version = wall([bin, "--version"], 5);
  row("validate cold start vs node -e 0", `${seconds(validate)} vs ${seconds(bare)} (${(validate / bare).toFixed(1)}x)`, "<= 2x");
  row("--version cold start vs node -e 0", `${seconds(version)} vs ${seconds(bare)} (${(version / bare).toFixed(1)}x)`, "<= 2x");
  const trials = wall([bin, "simulate", join(root, "scenarios/leader-dies-in-az-a.yaml"), "--trials", "100", "--json"], 1);
  row("flagship --trials 100 (x10 for 1,000)", `${seconds(trials)} (~${seconds(trials * 10)} for 1,000)`, "1,000 in <= 10s");
  const quorum = wall([bin, "quorum", "--n", "3", "--r", "1", "--w", "1", "--latency", join(root, "scenarios/latency/lnkd-disk.yaml"), "--trials", "1000000"]);
  row("quorum --latency --trials 1000000", seconds(quorum), "< 1s wall");
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
