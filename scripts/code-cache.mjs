// Records V8's code cache for the quick CommonJS file (part of `npm run build`;
// see bin/cached-cli.js): compiles quick.cjs in the folder given, runs the commands
// whose start matters (validate on a topology and on a scenario, the version),
// then writes what V8 compiled on the way, and the stamp of the V8 that made it.
// scripts/bundle.mjs runs it in a child process, with its output discarded.
import { writeFileSync } from "node:fs";
import { cacheStamp, compileCli } from "../bin/cached-cli.js";

const dir = process.argv[2];
const WARM_UP = [["validate", "topologies/payments.yaml"], ["validate", "scenarios/leader-dies-in-az-a.yaml"], ["--version"]];

const { exports, script } = compileCli(dir, undefined);
for (const args of WARM_UP) await exports.main(["node", "repl-lab", ...args]);
writeFileSync(new URL("quick.cache", dir), script.createCachedData());
writeFileSync(new URL("quick.cache.json", dir), JSON.stringify(cacheStamp()) + "\n");
