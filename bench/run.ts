// `npm run bench`: simulated events per second and simulated seconds per
// wall-clock second on the standard scenario. Performance targets live here,
// never in timed tests.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadFile } from "../src/model/load.js";
import { simulate } from "../src/engine/simulate.js";

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? join(here, "..", "..", "bench", "standard.yaml");
const loaded = loadFile(file);
if (loaded.kind !== "scenario") throw new Error(`${file} is not a scenario`);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const times: number[] = [];
let events = 0;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const result = simulate(loaded.scenario, { seed: loaded.scenario.seed + i });
  times.push((performance.now() - start) / 1000);
  events = result.stats.events;
}
times.sort((a, b) => a - b);
const best = times[0];
const median = times[Math.floor(times.length / 2)];
const simulated = loaded.scenario.durationMs / 1000;
console.log(`scenario        ${loaded.scenario.name} (${simulated}s simulated, ${loaded.scenario.workload.writes} writes/s, ${loaded.scenario.workload.reads} reads/s, ${loaded.scenario.topology.nodes.length} nodes)`);
console.log(`runs            ${runs} (seeds ${loaded.scenario.seed}..${loaded.scenario.seed + runs - 1})`);
console.log(`wall time       best ${best.toFixed(2)}s, median ${median.toFixed(2)}s   (goal: under 5s, later under 2s)`);
console.log(`events/s        ${Math.round(events / median).toLocaleString("en-US")}  (${events.toLocaleString("en-US")} events per run)`);
console.log(`simulated s/s   ${(simulated / median).toFixed(1)}`);
