// The seed's limit reads the same in every command. simulate said "from 0 to 4,294,967,295" and quorum "from 0 to
// 4294967295" (and without quotes round the text given); a file's `seed:` and the help texts print it as typed.
// One place (SEED_RANGE, parseSeedFlag in src/cli/flags.ts) now holds the range and its words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runBin } from "./bin.js";
import { checkSeed, parseSeedFlag, SEED_RANGE } from "../../src/cli/flags.js";

const SAME = /^error --seed expects a whole number from 0 to 4294967295; got "99999999999"$/;

test("--seed 99999999999: one message from simulate, explore and quorum", async () => {
  const runs = await Promise.all([
    runBin(["simulate", "scenarios/leader-dies-in-az-a.yaml", "--seed", "99999999999"]),
    runBin(["simulate", "scenarios/leader-dies-in-az-a.yaml", "--seed", "99999999999", "--json"]),
    runBin(["explore", "topologies/payments.yaml", "--seed", "99999999999"]),
    runBin(["quorum", "--n", "3", "--r", "2", "--w", "2", "--latency", "scenarios/latency/wan.yaml", "--seed", "99999999999"]),
    runBin(["quorum", "--n", "3", "--r", "2", "--w", "2", "--latency", "scenarios/latency/wan.yaml", "--seed", "99999999999", "--json"]),
  ]);
  for (const r of runs) {
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr.trim(), SAME);
  }
});

test("the help of each command states the same range", async () => {
  for (const command of ["simulate", "explore", "quorum"]) {
    const help = await runBin([command, "--help"]);
    assert.match(help.stdout.replace(/\s+/g, " "), /--seed <\w+> .*\(.*0 to 4294967295/, command);
  }
});

test("parsed and checked seeds use the same words (the one shared place)", () => {
  assert.equal(SEED_RANGE, "0 to 4294967295");
  assert.throws(() => parseSeedFlag("4294967296"), { message: `--seed expects a whole number from ${SEED_RANGE}; got "4294967296"` });
  assert.throws(() => checkSeed(4294967296), { message: `--seed expects a whole number from ${SEED_RANGE}; got 4294967296` });
  assert.equal(parseSeedFlag("4294967295"), 4294967295);
});
