import { loadFile } from "../dist/src/model/load.js";
import { simulate } from "../dist/src/engine/simulate.js";
const file = process.argv[2] ?? "bench/standard.yaml";
const n = +(process.argv[3] ?? 3);
const loaded = loadFile(file);
for (let i = 0; i < n; i++) {
  const t = performance.now();
  const r = simulate(loaded.scenario, { seed: loaded.scenario.seed + i, series: process.env.SERIES !== "0" });
  console.log(((performance.now() - t) / 1000).toFixed(3), r.stats.events, r.totals.readsServed);
}
