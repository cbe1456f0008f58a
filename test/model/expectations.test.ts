// The grammar of `expect:`: what one expected value may say, and the problems
// the loader reports (with paths) for values it cannot read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CLASS_FIELDS, GLOBAL_FIELDS, compileExpectations, parseComparator, validateExpectations } from "../../src/model/expectations.js";

const duration = CLASS_FIELDS.rpo;
const rto = CLASS_FIELDS.rto;
const count = CLASS_FIELDS.lost_writes;
const bool = CLASS_FIELDS.met;
const splitBrain = GLOBAL_FIELDS.split_brain;

function ok(value: unknown, spec = duration) {
  const parsed = parseComparator(value, spec);
  assert.ok(parsed.ok, `expected ${JSON.stringify(value)} to parse: ${parsed.ok ? "" : parsed.message}`);
  return parsed.comparator;
}

function bad(value: unknown, spec = duration): string {
  const parsed = parseComparator(value, spec);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(value)} to be rejected`);
  return parsed.message;
}

test("comparator grammar: durations take an operator and a unit", () => {
  assert.deepEqual(ok(0), { kind: "compare", op: "==", value: 0 });
  assert.deepEqual(ok("0"), { kind: "compare", op: "==", value: 0 });
  assert.deepEqual(ok("<30s"), { kind: "compare", op: "<", value: 30_000 });
  assert.deepEqual(ok("<=5ms"), { kind: "compare", op: "<=", value: 5 });
  assert.deepEqual(ok(">0"), { kind: "compare", op: ">", value: 0 });
  assert.deepEqual(ok(">=1m"), { kind: "compare", op: ">=", value: 60_000 });
  assert.deepEqual(ok("==2s"), { kind: "compare", op: "==", value: 2_000 });
  assert.deepEqual(ok("!=0"), { kind: "compare", op: "!=", value: 0 });
  assert.deepEqual(ok("=1.5s"), { kind: "compare", op: "==", value: 1_500 }, "= is equality too");
  assert.deepEqual(ok("  <  30s "), { kind: "compare", op: "<", value: 30_000 }, "spaces are allowed");
  assert.deepEqual(ok("1h30m"), { kind: "compare", op: "==", value: 5_400_000 });
});

test("comparator grammar: malformed durations are rejected with a hint", () => {
  assert.match(bad("<<30s"), /expected a duration comparison.*got "<<30s"/);
  assert.match(bad("soon"), /got "soon"/);
  assert.match(bad(""), /expected a duration/);
  assert.match(bad("<"), /got "<"/);
  assert.match(bad("30"), /add a unit/, "a bare number other than 0 is ambiguous");
  assert.match(bad("<30"), /add a unit, e\.g\. "<30ms"/);
  assert.match(bad(30), /bare number 30 — add a unit/);
  assert.match(bad(-1), /got -1/);
  assert.match(bad("-1s"), /got "-1s"/);
  assert.match(bad("30 parsecs"), /got "30 parsecs"/);
  assert.match(bad(true), /got true/, "a boolean is not a duration");
  assert.match(bad(null), /got nothing/);
  assert.match(bad(["<1s"]), /got a list/);
  assert.match(bad({ lt: "1s" }), /got a mapping/);
  assert.match(bad("never"), /got "never"/, "never is for RTO fields only");
});

test("comparator grammar: RTO fields accept never", () => {
  assert.deepEqual(ok("never", rto), { kind: "compare", op: "==", value: Infinity });
  assert.deepEqual(ok("!=never", rto), { kind: "compare", op: "!=", value: Infinity });
  assert.match(bad("<never", rto), /or "never"/);
});

test("comparator grammar: counts are plain numbers", () => {
  assert.deepEqual(ok(0, count), { kind: "compare", op: "==", value: 0 });
  assert.deepEqual(ok(12, count), { kind: "compare", op: "==", value: 12 });
  assert.deepEqual(ok("0", count), { kind: "compare", op: "==", value: 0 });
  assert.deepEqual(ok(">0", count), { kind: "compare", op: ">", value: 0 });
  assert.deepEqual(ok(">=100", count), { kind: "compare", op: ">=", value: 100 });
  assert.deepEqual(ok("==2", count), { kind: "compare", op: "==", value: 2 });
  assert.deepEqual(ok("!=0", count), { kind: "compare", op: "!=", value: 0 });
  assert.deepEqual(ok("<=2.5", count), { kind: "compare", op: "<=", value: 2.5 });
  assert.match(bad("<5s", count), /a count or a comparison/);
  assert.match(bad("many", count), /got "many"/);
  assert.match(bad(false, count), /got false/);
  assert.match(bad(">-1", count), /got ">-1"/);
});

test("comparator grammar: booleans", () => {
  assert.deepEqual(ok(true, bool), { kind: "bool", value: true });
  assert.deepEqual(ok(false, bool), { kind: "bool", value: false });
  assert.deepEqual(ok("true", bool), { kind: "bool", value: true });
  assert.deepEqual(ok("!=false", bool), { kind: "bool", value: true });
  assert.deepEqual(ok("==false", bool), { kind: "bool", value: false });
  assert.match(bad(1, bool), /true or false/);
  assert.match(bad("<true", bool), /true or false/);
  assert.match(bad("<1s", bool), /true or false/);
});

test("comparator grammar: split_brain takes a boolean or a duration comparison", () => {
  assert.deepEqual(ok(false, splitBrain), { kind: "bool", value: false });
  assert.deepEqual(ok("<5s", splitBrain), { kind: "compare", op: "<", value: 5_000 });
  assert.deepEqual(ok(0, splitBrain), { kind: "compare", op: "==", value: 0 });
  assert.match(bad("maybe", splitBrain), /true, false or a duration comparison/);
});

test("validateExpectations: paths point at the value, messages name the expect path", () => {
  const problems = validateExpectations({
    ledger: { rpo: 0, rto: "<<30s", met: true },
    accounts: { rto: "30" },
    split_brain: "maybe",
    writes_lost: 0,
    failovers: "==1",
    timeline: ["crash", 3, "promote"],
  } as never);
  assert.deepEqual(
    problems.map((p) => p.path),
    [
      ["expect", "ledger", "rto"],
      ["expect", "accounts", "rto"],
      ["expect", "split_brain"],
      ["expect", "timeline", 1],
    ],
  );
  assert.match(problems[0].message, /^expect\.ledger\.rto: expected a duration comparison/);
  assert.match(problems[1].message, /^expect\.accounts\.rto: .*add a unit/);
  assert.match(problems[2].message, /^expect\.split_brain: /);
  assert.match(problems[3].message, /^expect\.timeline\[1\]: expected an event name/);
});

test("validateExpectations: well-formed expectations give no problems; unknown fields and bad timelines do", () => {
  assert.deepEqual(
    validateExpectations({ ledger: { rpo: 0, rto: "<30s", read_rto: "never", write_p99: "<=5ms", stale_reads: 0, met: true }, split_brain: false, conflicts: ">0", write_unavailable: "<1m", timeline: ["crash", "promote"] }),
    [],
  );
  assert.match(validateExpectations({ ledger: { rtoo: "<30s" } } as never)[0].message, /unknown class expectation/);
  assert.match(validateExpectations({ timeline: [] } as never)[0].message, /empty/);
  assert.match(validateExpectations({ timeline: "promote" } as never)[0].message, /list of event names/);
  assert.deepEqual(validateExpectations({ not_a_key: 3 } as never), [], "unknown top-level keys are the resolver's to report");
});

test("compileExpectations: one group per key in the file's order, each value read once with its display form", () => {
  const { expectations, problems } = compileExpectations({ ledger: { rpo: 0, rto: " <30s " }, failovers: 1, timeline: ["crash", " promote"], recovery: { method: "pitr", restore: "<1h" } });
  assert.deepEqual(problems, []);
  assert.deepEqual(expectations.map((g) => [g.key, g.items.map((i) => i.path)]), [
    ["ledger", ["ledger.rpo", "ledger.rto"]],
    ["failovers", ["failovers"]],
    ["timeline", ["timeline"]],
    ["recovery", ["recovery.method", "recovery.restore"]],
  ]);
  const [rpo, rto] = expectations[0].items;
  assert.deepEqual(rpo, { target: "class", path: "ledger.rpo", expected: "0", className: "ledger", field: "rpo", check: { ok: true, comparator: { kind: "compare", op: "==", value: 0 } } });
  assert.equal(rto.expected, "<30s");
  assert.deepEqual(expectations[2].items[0], { target: "timeline", path: "timeline", expected: "crash → promote", events: ["crash", "promote"] });
  const method = expectations[3].items[0];
  assert.ok(method.target === "recovery" && method.check === null && method.value === "pitr", "recovery.method is the schema's to check");
});
