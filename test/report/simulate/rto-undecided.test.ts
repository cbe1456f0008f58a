// A run that ends before a class's RTO target has elapsed since its outage
// began, with the service still not back, cannot say the target was missed:
// the verdict is "undecided" (in the class's verdicts, its verdict cell, and
// each RTO expectation it leaves open). An expectation that the rest of the
// outage cannot change is still judged, and an outage already longer than the
// target still misses it. The SPEC's `met` is a boolean: an undecided class or
// expectation is not met (and the run exits 1), but is marked undecided.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { simulate } from "../../../src/engine/simulate.js";
import { renderSimulateText } from "../../../src/report/simulate/text.js";
import { renderSimulateMarkdown } from "../../../src/report/simulate/markdown.js";
import { classTable } from "../../../src/report/html/tables.js";
import { DEFAULT_LAYOUT } from "../../../src/report/common/layout.js";
import { scenarioText, threeNodeCrash } from "../../engine/helpers.js";

const plain = new Chalk({ level: 0 });

/** n0 (the leader) crashes 30 s in with no failover possible; the run lasts `duration`, the RTO target is `rto`. */
function crashNoFailover(duration: string, rto: string): string {
  return threeNodeCrash({ name: "rto-undecided", preset: "patroni", seed: 3, replication: "{ mode: leader-follower }", failover: "{ mode: manual, operator_delay: 1h }" })
    .replace("duration: 90s", `duration: ${duration}`)
    .replace("orders: { rpo: 0, rto: 30s }", `orders: { rpo: 0, rto: ${rto} }`)
    .concat(`expect:\n  orders: { rto: "<${rto}" }\n  write_unavailable: ">1s"\n`);
}

test("writes still down 5 s into the outage when the run ends, under a 30 s RTO target: undecided, not missed", () => {
  const result = simulate(scenarioText(crashNoFailover("35s", "30s")));
  const [c] = result.classes;
  assert.equal(c.rto.writeMs, null, "not back by the end");
  assert.equal(c.verdicts?.writeRto, "undecided");
  assert.ok(c.rto.writeOpenMs !== undefined && c.rto.writeOpenMs >= 4_000 && c.rto.writeOpenMs <= 5_000, `open ${c.rto.writeOpenMs} ms at the end`);
  assert.equal(c.met, false, "not shown to be met");
  const rto = result.expectations.find((e) => e.path === "orders.rto")!;
  assert.equal(rto.undecided, true);
  assert.equal(rto.met, false);
  assert.equal(rto.measured.kind, "undecided");
  // The rest of the outage cannot make it shorter than the 4 s it already lasted: this one is decided.
  assert.equal(result.expectations.find((e) => e.path === "write_unavailable")!.met, true);
  const text = renderSimulateText(result, plain, { ...DEFAULT_LAYOUT, width: 200 });
  assert.match(text, /write RTO(, p99 client)? undecided: not back/);
  assert.doesNotMatch(text, /write RTO missed/);
  assert.match(text, /\? orders\.rto/);
  // Every format says the same: the RTO cell is the outage's age so far, neither a miss nor "never".
  const age = /(>\d+(\.\d+)?s\?)/.exec(text)?.[1];
  assert.ok(age, "the text table's RTO cell reads >Ns?");
  const md = renderSimulateMarkdown(result);
  const mdRow = md.split("\n").find((l) => l.startsWith("| `orders`"))!;
  assert.ok(mdRow.includes(age), mdRow);
  assert.doesNotMatch(mdRow, /never|❌/);
  assert.match(mdRow, /❔ write RTO(, p99 client)? undecided/);
  const html = classTable(result);
  assert.ok(html.includes(`<td class="open">? ${age.replace(">", "&gt;")}</td>`), html);
  assert.doesNotMatch(html, /class="bad">✗ never/);
  assert.match(html, /<td class="open">\? write RTO(, p99 client)? undecided/);
});

test("writes still down 5 s into the outage under a 2 s RTO target: missed", () => {
  const result = simulate(scenarioText(crashNoFailover("35s", "2s")));
  const [c] = result.classes;
  assert.equal(c.verdicts?.writeRto, false);
  const rto = result.expectations.find((e) => e.path === "orders.rto")!;
  assert.equal(rto.met, false);
  assert.equal(rto.undecided, undefined);
  assert.match(renderSimulateText(result, plain, { ...DEFAULT_LAYOUT, width: 200 }), /write RTO missed/);
});
