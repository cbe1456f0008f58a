// Last-write-wins between leaders orders a key's versions by the timestamp of the leader that made each, from
// its clock. A leader whose clock runs ahead by s stamps its writes in the future: a write to the same key made on
// another leader within s after it, even one made after it arrived there, carries the older timestamp and is
// silently dropped. The lint rule lww-clock-skew predicts (1 − f)(1 − e^(−f·r·s)) of the writes lost (f the fast
// leader's share of the writes, r a key's writes per second); simulate must agree with it. Before, multi-leader
// took no clock_skew at all: the file was refused, and the rule looked only at leaderless designs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { lwwClockSkew } from "../../src/lint/rules/lww-clock-skew.js";
import { scenario } from "./multi-leader-helpers.js";
import { factsOf } from "../../src/engine/result.js";
import { simulationJson } from "../../src/report/simulate/json.js";

function lostShare(skew?: string, conflict: "lww" | "app" = "lww"): { share: number; result: ReturnType<typeof simulate> } {
  // 400 writes/s over 400 keys: 1 write/s per key, half of them through each leader; no fault.
  const result = simulate(scenario({ keys: 400, duration: "1m", conflict, clockSkew: skew }));
  const cls = result.classes[0];
  return { share: cls.rpo.lostAckedWrites / cls.writesAcked, result };
}

test("a leader whose clock runs ahead makes last-write-wins drop the other leader's later writes, as much as the lint rule says", () => {
  const none = lostShare().share;
  assert.ok(none < 0.05, `without skew ${none}`);
  for (const [skew, seconds] of [["500ms", 0.5], ["2s", 2], ["5s", 5]] as const) {
    const { share } = lostShare(`{ m-us: ${skew} }`);
    const f = 0.5;
    const expected = (1 - f) * (1 - Math.exp(-f * 1 * seconds));
    assert.ok(Math.abs(share - expected) < 0.04, `skew ${skew}: ${(share * 100).toFixed(1)}% lost, expected ${(expected * 100).toFixed(1)}%`);
    const { result } = lostShare(`{ m-us: ${skew} }`);
    const drops = factsOf(result.timeline, "lww-dropped");
    assert.equal(drops.length, 1, JSON.stringify(drops));
    assert.equal(drops[0].node, "m-us");
    assert.equal(drops[0].aheadMs, seconds * 1000);
    const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
    assert.match(json.timeline.find((e) => e.event === "lww-dropped")!.detail, new RegExp(`this leader's clock runs ${skew} ahead of that one's`));
  }
  assert.equal(factsOf(lostShare().result.timeline, "lww-dropped").length, 0);
});

test("the lint rule names the same share for a multi-leader design", () => {
  const s = scenario({ keys: 400, duration: "1m", clockSkew: "{ m-us: 2s }" });
  const strict = { ...s, topology: { ...s.topology, dataClasses: s.topology.dataClasses.map((c) => ({ ...c, rpoMs: 0 })) } };
  assert.ok(lwwClockSkew.appliesTo!(strict.topology));
  const findings = lwwClockSkew.check({ topology: strict.topology, scenario: strict } as Parameters<typeof lwwClockSkew.check>[0]);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  assert.match(findings[0].message, /expect about 3\d(\.\d)?% of the writes to orders lost/);
});

test("skew is not a conflict policy's business under app: the siblings are the concurrent writes, as without skew", () => {
  const plain = lostShare(undefined, "app").result;
  const skewed = lostShare("{ m-us: 2s }", "app").result;
  assert.equal(skewed.classes[0].rpo.lostAckedWrites, 0);
  assert.equal(skewed.totals.siblings, plain.totals.siblings);
});
