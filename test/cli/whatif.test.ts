// `simulate TOPOLOGY --fault ...`: every fault kind of the scenario format has
// a phrase; a phrase becomes exactly the fault entry a user would write; a
// what-if run prints byte for byte what the equivalent scenario file prints;
// a bad phrase or flag exits 2 naming the flag, the phrase and what was expected.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { buildWhatIf, defaultDuration, parseFaultPhrase, parseWorkloadFlag } from "../../src/cli/whatif.js";
import { faultActions } from "../../src/model/schema.js";
import { ROOT, runBin } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "repl-lab-whatif-"));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, "topologies/payments.yaml"), join(dir, "payments.yaml"));

const run = (args: string[]) => runBin(args, dir);

/** One phrase per fault action, with the entry a user would write for it. */
const PHRASES: [string, Record<string, unknown>][] = [
  ["crash pg-a at 30s", { at: "30s", crash: "pg-a" }],
  ["crash pg-a at 30s for 20s", { at: "30s", crash: "pg-a", for: "20s" }],
  ["recover pg-a at 90s", { at: "90s", recover: "pg-a" }],
  ["restart pg-a at 90s", { at: "90s", recover: "pg-a" }],
  ["partition us-east/a from us-east/b, us-east/c at 20s for 40s", { at: "20s", partition: [["us-east/a"], ["us-east/b", "us-east/c"]], for: "40s" }],
  ["partition pg-a | pg-b | pg-c,pg-dr at 20s", { at: "20s", partition: [["pg-a"], ["pg-b"], ["pg-c", "pg-dr"]] }],
  ["heal at 70s", { at: "70s", heal: true }],
  ["stall pg-a at 25s for 2s", { at: "25s", stall: "pg-a", for: "2s" }],
  ["slow pg-c to 100/s at 40s", { at: "40s", slow: "pg-c", apply_rate: 100 }],
  ["slow pg-c to 250 writes/s at 40s for 1m", { at: "40s", slow: "pg-c", apply_rate: 250, for: "1m" }],
  ["latency +50ms between pg-a and pg-c at 41s for 10s", { at: "41s", latency: { between: [["pg-a"], ["pg-c"]], add: "50ms" }, for: "10s" }],
  ["delay pg-a | pg-b,pg-c by 5ms at 1s", { at: "1s", latency: { between: [["pg-a"], ["pg-b", "pg-c"]], add: "5ms" } }],
  ["lose us-east/b at 45s", { at: "45s", lose: "us-east/b" }],
  ["lose us-west at 45s for 5m", { at: "45s", lose: "us-west", for: "5m" }],
  ["bad-write update-all accounts 10% at 50s noticed after 2d", { at: "50s", bad_write: { class: "accounts", statement: "update-all", rows: "10%", noticed_after: "2d" } }],
  ["bad-write delete 0.5 of ledger at 50s", { at: "50s", bad_write: { class: "ledger", statement: "delete", rows: 0.5 } }],
  ["bad_write drop accounts at 10s", { at: "10s", bad_write: { class: "accounts", statement: "drop" } }],
  ["archive-fails at 60s for 6h", { at: "60s", archive_fails: true, for: "6h" }],
  ["promote-fails pg-b at 61s", { at: "61s", promote_fails: "pg-b" }],
  ["rebuild pg-a at 95s", { at: "95s", rebuild: "pg-a" }],
  ["restore-drill at 100s", { at: "100s", restore_drill: {} }],
  ["Crash pg-a at 0", { at: 0, crash: "pg-a" }],
];

describe("fault phrases", () => {
  test("each phrase becomes the fault entry a user would write", () => {
    for (const [phrase, fault] of PHRASES) assert.deepEqual(parseFaultPhrase(phrase), fault, phrase);
  });

  test("every fault action of the scenario format has a phrase", () => {
    const covered = new Set(PHRASES.flatMap(([phrase]) => Object.keys(parseFaultPhrase(phrase))));
    assert.deepEqual(faultActions.filter((a) => !covered.has(a)), []);
  });

  test("the built YAML reads back as the same faults, one line each, in the documented form", () => {
    const built = buildWhatIf("payments.yaml", { faults: PHRASES.map(([p]) => p) });
    const data = parse(built.text);
    assert.deepEqual(data.faults, PHRASES.map(([, fault]) => fault));
    assert.match(built.text, /^ {2}- \{ at: 30s, crash: pg-a \}$/m);
    assert.match(built.text, /^ {2}- \{ at: 20s, partition: \[\[us-east\/a\], \[us-east\/b, us-east\/c\]\], for: 40s \}$/m);
    assert.equal(data.kind, "scenario");
    assert.equal(data.topology, "payments.yaml");
    assert.deepEqual(data.workload, { writes: 500, reads: 2000 });
  });

  test("bad phrases name the phrase and what was expected", () => {
    const cases: [string, RegExp][] = [
      ["crush pg-a at 30s", /^--fault "crush pg-a at 30s": unknown fault 'crush' — did you mean "crash"\? \(expected one of crash, recover, stall, slow, partition, heal, latency, lose, bad-write, archive-fails, promote-fails, rebuild, restore-drill\)$/],
      ["crash pg-a", /missing "at T"/],
      ["crash at 30s", /expected a node after "crash"/],
      ["crash pg-a pg-b at 30s", /unexpected "pg-b"/],
      ["heal at 3s for 2s", /"heal" takes no "for D"/],
      ["partition us-east at 3s", /expected "partition SIDE from SIDE"/],
      ["slow pg-c at 3s", /expected "slow NODE to RATE"/],
      ["slow pg-c to fast at 3s", /expected a rate in writes per second/],
      ["latency between pg-a and pg-b at 3s", /expected one added latency/],
      ["bad-write remove accounts at 3s", /unknown statement "remove"/],
      ["crash pg-a at 3s at 4s", /"at" is given twice/],
      ["", /expected a fault such as/],
    ];
    for (const [phrase, message] of cases) assert.throws(() => parseFaultPhrase(phrase), (e: Error) => e.message.startsWith(`--fault "${phrase}": `) && message.test(e.message), phrase);
  });

  test("--workload: keys on top of the defaults; an unknown key is named", () => {
    assert.deepEqual(parseWorkloadFlag(undefined), { writes: 500, reads: 2000 });
    assert.deepEqual(parseWorkloadFlag("writes=100, clients=20,zones=us-east/a+us-east/b,timeout=2s"), { writes: 100, reads: 2000, clients: 20, zones: ["us-east/a", "us-east/b"], timeout: "2s" });
    assert.throws(() => parseWorkloadFlag("wrties=5"), /^UsageError: --workload "wrties=5": unknown key 'wrties' — did you mean "writes"\?/);
  });

  test("the default duration is 2m, or a minute past the end of the last fault", () => {
    assert.equal(defaultDuration([]), "2m");
    assert.equal(defaultDuration([parseFaultPhrase("crash pg-a at 30s for 20s")]), "2m");
    assert.equal(defaultDuration([parseFaultPhrase("crash pg-a at 90s for 30s")]), "3m");
    assert.equal(defaultDuration([parseFaultPhrase("archive-fails at 60s for 6h")]), "6h");
  });
});

describe("simulate TOPOLOGY --fault", () => {
  const flags = [
    "--fault", "stall pg-a at 25s for 2s",
    "--fault", "crash pg-a at 30s",
    "--fault", "latency +20ms between pg-b and pg-c at 35s for 10s",
    "--fault", "recover pg-a at 90s",
    "--workload", "writes=300,reads=600",
    "--duration", "2m",
    "--seed", "7",
  ];

  test("a what-if prints byte for byte what its scenario file prints", async () => {
    const printed = await run(["simulate", "payments.yaml", ...flags, "--print-scenario"]);
    assert.equal(printed.status, 0, printed.stderr);
    writeFileSync(join(dir, "saved.yaml"), printed.stdout);
    const [whatIf, file] = await Promise.all([run(["simulate", "payments.yaml", ...flags]), run(["simulate", "saved.yaml"])]);
    assert.equal(file.status, whatIf.status);
    assert.ok(whatIf.stdout.includes("Scenario what-if-payments"), whatIf.stdout.slice(0, 200));
    assert.equal(whatIf.stdout, file.stdout);
    const [whatIfJson, fileJson] = await Promise.all([run(["simulate", "payments.yaml", ...flags, "--json"]), run(["simulate", "saved.yaml", "--json"])]);
    assert.equal(whatIfJson.stdout, fileJson.stdout);
  });

  test("a phrase with a name the topology lacks: the loader's message, against the flag", async () => {
    const r = await run(["simulate", "payments.yaml", "--fault", "crash pg-z at 30s"]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim(), 'error --fault "crash pg-z at 30s": unknown node "pg-z" — did you mean "pg-a"? (nodes: pg-a, pg-b, pg-c, pg-dr)');
  });

  test("a fault after the end, a bad duration, a bad phrase: exit 2, one line naming the flag", async () => {
    const late = await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 30s", "--duration", "20s"]);
    assert.equal(late.status, 2);
    assert.match(late.stderr, /^error --fault "crash pg-a at 30s": the fault is at 30s, after the scenario ends \(duration 20s\)\n$/);
    const unit = await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 30x"]);
    assert.match(unit.stderr, /^error --fault "crash pg-a at 30x": expected a duration with a unit/);
    // A unit written apart from its number is the duration's problem, not a second node (found by a review).
    const apart = await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 10 parsecs", "--json"]);
    assert.equal(apart.status, 2);
    assert.match(apart.stderr, /^error --fault "crash pg-a at 10 parsecs": expected a duration with a unit.*got "10 parsecs"/);
    // A name after the time is the verb's argument, not a unit: the bare number is what is wrong (found by a review).
    const named = await run(["simulate", "payments.yaml", "--fault", "crash at 30 primary"]);
    assert.match(named.stderr, /got the bare number 30 — add a unit/);
    const unknown = await run(["simulate", "payments.yaml", "--fault", "crush pg-a at 30s"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--fault "crush pg-a at 30s": unknown fault 'crush'/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
    // A fault past the 6 h limit stretches the default duration too; only the flag's problem is said (found by a review).
    const far = await run(["simulate", "payments.yaml", "--fault", "crash pg-a at 10h"]);
    assert.equal(far.status, 2);
    assert.match(far.stderr, /^error --fault "crash pg-a at 10h": 10h is above the limit of 6h\n$/);
  });

  test("--fault on a scenario file is refused, naming the file's kind", async () => {
    writeFileSync(join(dir, "s.yaml"), "kind: scenario\nname: s\ntopology: payments.yaml\nduration: 1m\nworkload: { writes: 10 }\n");
    const r = await run(["simulate", "s.yaml", "--fault", "crash pg-a at 30s"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /s\.yaml:1:7: this is a scenario file, but --fault.* build a scenario around a topology/);
  });

  test("a topology without --fault says how to run a what-if", async () => {
    const r = await run(["simulate", "payments.yaml"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--fault "crash NODE at 30s"/);
  });
});
