// The quorum renderers: pure functions of a result. Text without colour,
// markdown tables, JSON keys in the SPEC §4 order, and the number formats.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { analyzeQuorum } from "../../src/quorum/analysis.js";
import type { QuorumResult } from "../../src/quorum/result.js";
import { latencyRun } from "../../src/quorum/result.js";
import { legSamplers, type LegSamplers } from "../../src/quorum/visibility.js";
import { formatMsValue, formatPercent, plotFloor, visibilityPlot } from "../../src/report/quorum/format.js";
import { quorumJson, renderQuorumJson } from "../../src/report/quorum/json.js";
import { renderQuorumMarkdown } from "../../src/report/quorum/markdown.js";
import { renderQuorumText } from "../../src/report/quorum/text.js";

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });

function result(n: number, r: number, w: number, down: number, extra: { sloppy?: boolean; latency?: boolean } = {}): QuorumResult {
  const analysis = analyzeQuorum({ n, r, w, down, sloppy: Boolean(extra.sloppy), cluster: null });
  if (!extra.latency) return { analysis, latency: null };
  // Replica i receives the write at 10·i ms; reads answer fastest from the last replica.
  let wi = 0;
  let si = 0;
  const legs: LegSamplers = {
    w: { sample: () => 10 * (wi++ % n) },
    a: { sample: () => 0 },
    r: { sample: () => 0 },
    s: { sample: () => n - 1 - (si++ % n) },
  };
  return { analysis, latency: latencyRun(analysis, { file: "lat.yaml", name: "scripted", samplers: legs }, { trials: 100, tMs: [0, 5, 20] }) };
}

test("text: the material's drill reads as blocked/blocked, strong, with the K table", () => {
  const text = renderQuorumText(result(5, 3, 3, 3), plain);
  assert.match(text, /^Quorum N=5 R=3 W=3 · 3 of 5 replicas down · strict quorum$/m);
  assert.match(text, /^ {2}writes +BLOCKED +needs 3 acks, only 2 replicas can take it$/m);
  assert.match(text, /^ {2}reads +BLOCKED +needs 3 replies, only 2 replicas up$/m);
  assert.match(text, /^ {2}R \+ W > N +yes +3 \+ 3 > 5/m);
  assert.match(text, /│ ▶ 3 +│ 2 +│ no +│ no +│ no, blocked +│/);
  assert.match(text, /│ {3}0 +│ 5 +│ yes +│ yes +│ yes +│/);
  assert.doesNotMatch(text, /\u001b\[/);
  assert.doesNotMatch(text, /t-visibility/);
});

test("text: colour marks available green and blocked red", () => {
  const text = renderQuorumText(result(5, 3, 3, 3), colour);
  assert.ok(text.includes(colour.red("BLOCKED")));
  assert.ok(text.includes(colour.green("yes")));
});

test("text with a latency run: the t table, the curve, the 99.9% point and the closed form beside the simulation", () => {
  const text = renderQuorumText(result(3, 1, 1, 0, { latency: true }), plain, { width: 200 });
  assert.match(text, /t-visibility · WARS Monte Carlo · scripted \(lat\.yaml\) · 100 trials · seed 1/);
  assert.match(text, /│ 0 ms +│ 0% +│/);
  assert.match(text, /│ 20 ms +│ 100% +│/);
  assert.match(text, /99\.9% point +20 ms: a read that starts this long after the write commits returns it/);
  assert.match(text, /closed form +2\/3 \(66\.7%\) stale if the write stopped at its W replicas; simulated, 100% of reads right after the commit are stale/);
  assert.match(text, /▲/);
});

test("text: sloppy quorum marks hinted writes and pending hints", () => {
  const text = renderQuorumText(result(5, 2, 4, 2, { sloppy: true }), plain, { width: 200 });
  assert.match(text, /sloppy quorum/);
  assert.match(text, /writes +available, hinted +needs 4 acks: 3 replicas up, the rest from stand-ins keeping hints for the 2 down/);
  assert.match(text, /│ ▶ 2 +│ 3 +│ yes, hinted +│ yes +│ no, hints pending +│/);
  assert.match(text, /hinted handoff/);
});

test("text and markdown: where stand-ins break the overlap, stale reads are possible, not the closed form's 0 (found by a review)", () => {
  const broken = result(5, 3, 3, 3, { sloppy: true });
  const text = renderQuorumText(broken, plain, { width: 200 });
  // A write made before the failure is on any 3 of the 5 replicas; the read asks 3 of the 2 up and 3 stand-ins. Counting
  // the reads by how many up replicas they hold (0, 1, 2): 10 + 2·3·4 + 3 = 37 of the 10 × 10 (read, write) pairs miss.
  assert.match(text, /stale reads +37\/100 \(37(\.0)?%\) +writes made before 3 replicas went down: R \+ W = 6 <= N \+ S = 8 \(S = 3 stand-ins\): stand-ins lack the writes made before they stepped in/);
  assert.doesNotMatch(text, /stale reads +0 /);
  assert.match(text, /R \+ W > N +yes +3 \+ 3 > 5: every read quorum shares at least 1 with every write quorum of the key's own replicas; stand-ins break that/);
  // Markdown says what text says (review: it left out the caveat).
  assert.match(renderQuorumMarkdown(broken), /^- \*\*R \+ W > N:\*\* yes \(3 \+ 3 > 5; every read quorum shares at least 1 with every write quorum of the key's own replicas; stand-ins break that\)$/m);
  assert.match(renderQuorumMarkdown(broken), /\*\*Stale reads:\*\* possible with 3 down: 37\/100 \(37(\.0)?%\) for writes made before 3 replicas went down/);
  // With every replica of the key up, the overlap holds and the closed form stands.
  assert.match(renderQuorumText(result(5, 3, 3, 0, { sloppy: true }), plain, { width: 200 }), /stale reads +0 +chance a random read quorum/);
});

test("text, markdown and JSON: with K down, the stale-read figure says it is for writes made before the failure, and gives the one for writes made during it (review)", () => {
  const text = renderQuorumText(result(5, 2, 2, 2), plain, { width: 200 });
  assert.match(text, /stale reads +3\/10 \(30\.0%\) +writes made before 2 replicas went down: chance a random read quorum misses/);
  assert.match(text, /^ {14}0 +writes made while they are down: they land on 2 of the 3 up replicas, which reads ask too/m);
  assert.match(renderQuorumText(result(5, 3, 3, 3), plain, { width: 200 }), /^ {14}none +writes made while they are down: none can be made, writes are blocked$/m);
  // The same figure before and during the failure: one line.
  assert.match(renderQuorumText(result(5, 3, 3, 1), plain, { width: 200 }), /stale reads +0 +writes made before or during the failure: chance/);
  const md = renderQuorumMarkdown(result(5, 2, 2, 2));
  assert.match(md, /^- \*\*Stale-read probability, writes made before 2 replicas went down:\*\* 3\/10 \(30\.0%\)/m);
  assert.match(md, /^- \*\*Stale-read probability, writes made while they are down:\*\* 0 — they land on 2 of the 3 up replicas/m);
  const json = quorumJson(result(5, 2, 2, 2));
  assert.equal(json.staleProbability, 0.3);
  assert.deepEqual(json.staleDuringFailure, { nodes: 3, probability: 0, fraction: "0", writesBlocked: false, readsBlocked: false });
  assert.deepEqual(quorumJson(result(5, 3, 3, 3)).staleDuringFailure, { nodes: 2, probability: null, fraction: null, writesBlocked: true, readsBlocked: true });
  assert.ok((json.notes as string[]).some((note) => /That is for a write made before 2 replicas went down .* C\(3−2, 2\) \/ C\(3, 2\) = 0\./.test(note)));
});

test("with K down the t-visibility section says what it drew, and with W or R above N − K that the operation is blocked, with no latencies (review)", () => {
  // Scripted: replica i receives the write at 10·i ms and the last replica answers reads fastest. With 2 of 3 down only
  // replica 0 is drawn: it has the write at once.
  const live = renderQuorumText(result(3, 1, 1, 2, { latency: true }), plain, { width: 200 });
  assert.match(live, /With 2 of 3 replicas down, each trial draws the 1 up replica only/);
  assert.match(live, /│ 0 ms +│ 100% +│/);
  const blocked = result(3, 2, 2, 2, { latency: true });
  assert.equal(blocked.latency!.result, null);
  const text = renderQuorumText(blocked, plain, { width: 200 });
  assert.match(text, /t-visibility · WARS Monte Carlo · scripted \(lat\.yaml\) · blocked/);
  assert.match(text, /writes are blocked \(W = 2, only 1 can take them\) and reads are blocked \(R = 2, only 1 can answer\)/);
  assert.doesNotMatch(text, /latency p99\.9|99\.9% point|t after commit/);
  assert.doesNotMatch(renderQuorumMarkdown(blocked), /Latency p99\.9|t for 99\.9%/);
  const json = quorumJson(blocked);
  assert.equal(json.visibility, null);
  assert.equal(json.latencyP999Ms, null);
  assert.deepEqual((json.latency as { blocked: unknown }).blocked, { writes: true, reads: true });
  assert.equal((quorumJson(result(3, 1, 1, 2, { latency: true })).latency as { nodes: number }).nodes, 1);
});

test("json: the SPEC §4 keys first and in order, then the latency keys, then the extras", () => {
  const json = quorumJson(result(3, 1, 1, 0, { latency: true }));
  assert.deepEqual(Object.keys(json).slice(0, 12), ["n", "r", "w", "down", "strong", "reads", "writes", "staleProbability", "byDown", "visibility", "tForP999Ms", "latencyP999Ms"]);
  assert.deepEqual(json.visibility, [
    { tMs: 0, consistent: 0 },
    { tMs: 5, consistent: 0 },
    { tMs: 20, consistent: 1 },
  ]);
  assert.equal(json.tForP999Ms, 20);
  assert.equal(json.staleProbability, 2 / 3);
  assert.equal(json.staleFraction, "2/3");
  const plainJson = quorumJson(result(5, 3, 3, 3));
  assert.equal("visibility" in plainJson, false);
  assert.deepEqual((plainJson.byDown as unknown[])[3], { down: 3, reads: { available: false }, writes: { available: false }, strongReads: false });
  assert.equal(renderQuorumJson(result(5, 3, 3, 3)), renderQuorumJson(result(5, 3, 3, 3)));
});

test("markdown: tables for the verdict, the K table and t-visibility; the curve in a fence", () => {
  const md = renderQuorumMarkdown(result(3, 1, 1, 1, { latency: true }));
  assert.match(md, /^### Quorum N=3, R=1, W=1 — 1 of 3 replicas down \(strict quorum\)$/m);
  assert.match(md, /^\| writes \| ✅ yes \| 1 ack \| 2 \|$/m);
  assert.match(md, /^\| reads \| ✅ yes \| 1 reply \| 2 \|$/m);
  assert.match(md, /^\| \*\*1\*\* ◀ \| 2 \| ✅ yes \| ✅ yes \| ⚠️ no \|$/m);
  assert.match(md, /^\| 20 ms \| 100% \|$/m);
  assert.match(md, /^```text$/m);
  assert.match(md, /\*\*t for 99\.9%:\*\* 20 ms/);
});

test("formats: percentages never round to 100% or 0% by accident; milliseconds keep three digits", () => {
  assert.equal(formatPercent(1), "100%");
  assert.equal(formatPercent(0.99999, 2), "99.999%");
  assert.equal(formatPercent(0.9736, 2), "97.36%");
  assert.equal(formatPercent(0.00001, 1), "0.001%");
  // Too small for six decimals: still a percentage, as every other figure is (review: "5.5e-19 (5.457e-19)").
  assert.equal(formatPercent(5.457e-19), "5.5e-17%");
  assert.equal(formatPercent(4e-9), "4.0e-7%");
  assert.equal(formatPercent(1 - 1e-12, 2).endsWith("%"), true);
  assert.equal(formatMsValue(0.6553), "0.655");
  assert.equal(formatMsValue(1.9615), "1.96");
  assert.equal(formatMsValue(52.99), "53");
  assert.equal(formatMsValue(1364.2), "1364");
  assert.equal(plotFloor(0.9736), 0.97);
  assert.equal(plotFloor(0.4368), 0.4);
  assert.deepEqual(visibilityPlot([], 0), []);
});

test("text: a sloppy quorum names stand-ins only where the cluster has a node to stand in, and counts them for writes as for reads", () => {
  const at = (cluster: number) => renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 2, w: 2, down: 1, sloppy: true, cluster }), latency: null }, plain, { width: 200 });
  // Three nodes for N=3: no node outside the replica set, so nothing more through stand-ins.
  const three = at(3);
  assert.doesNotMatch(three, /stand-ins, below|likewise/);
  assert.match(three, /^ {2}writes +available +needs 2 acks, 2 replicas up$/m);
  // Five nodes: one stand-in takes the down replica's place for writes and reads alike.
  const five = at(5);
  assert.match(five, /more through stand-ins, below/);
  assert.match(five, /^ {2}writes +available +needs 2 acks: 2 replicas up and 1 stand-in keeping hints for the 1 down$/m);
  assert.match(five, /^ {2}reads +available +needs 2 replies: 2 replicas up and 1 stand-in \(which lack earlier writes\)$/m);
  // One replica up: singular.
  const one = renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 1, w: 1, down: 2, sloppy: false, cluster: null }), latency: null }, plain, { width: 200 });
  assert.match(one, /needs 1 ack, 1 replica up$/m);
});

test("sloppy quorum with stand-ins breaking the overlap: the 99.9% point and the majority remark do not promise what the stale-read line denies", () => {
  // N=3 R=2 W=2, one replica down, no cluster size: one stand-in, R + W = 4 <= N + S = 4. The verdict says stale reads
  // are possible; the Monte Carlo (a write and a read both during the failure, over the 3 nodes drawn) is consistent at once.
  const broken = result(3, 2, 2, 1, { sloppy: true, latency: true });
  assert.equal(broken.latency!.result!.tForP999Ms, 0);
  const text = renderQuorumText(broken, plain, { width: 400 });
  // Writes {u1,u2}, {u1,d}, {u2,d} against reads {u1,u2}, {u1,s}, {u2,s}: 2 of the 9 pairs share no node.
  assert.match(text, /stale reads +2\/9 \(22\.2%\) +writes made before 1 replica went down/);
  assert.doesNotMatch(text, /so every read returns the write as soon as it commits/);
  assert.match(text, /99\.9% point +0 ms: R \+ W > 3, the nodes drawn .*, so a read made during the failure returns a write made during it as soon as it commits; .*until the hints are replayed/);
  const md = renderQuorumMarkdown(broken);
  assert.doesNotMatch(md, /every read returns the write as soon as it commits/);
  assert.match(md, /\*\*t for 99\.9%:\*\* 0 ms — R \+ W > 3, the nodes drawn/);
  const majority = broken.analysis.remarks.find((r) => r.id === "majority")!;
  assert.match(majority.text, /except where stand-ins break the overlap/);
  // With the overlap intact (nothing down, or a strict quorum) the plain promise stands.
  for (const intact of [result(3, 2, 2, 0, { sloppy: true, latency: true }), result(3, 2, 2, 1, { latency: true })]) {
    assert.match(renderQuorumText(intact, plain, { width: 400 }), /99\.9% point +0 ms: R \+ W > N, so every read returns the write as soon as it commits/);
    assert.doesNotMatch(intact.analysis.remarks.find((r) => r.id === "majority")!.text, /stand-ins/);
  }
});

test("text: with R + W above the nodes drawn the closed form and the simulation are both 0, and no reason is given for a gap that is not there", () => {
  // N=5 R=2 W=2 with 2 down: the 3 drawn always overlap.
  const text = renderQuorumText(result(5, 2, 2, 2, { latency: true }), plain, { width: 400 });
  assert.match(text, /closed form +0 stale if the write stopped at its W replicas \(of the 3 drawn\); simulated, 0% of reads right after the commit are stale\n/);
  // Scripted legs where the simulation is staler than the closed form (every read hits the replica the write reaches last): no "because" either.
  assert.match(renderQuorumText(result(3, 1, 1, 0, { latency: true }), plain, { width: 400 }), /closed form +2\/3 \(66\.7%\) stale .*; simulated, 100% of reads right after the commit are stale\n/);
  // A real gap (WARS legs: the write keeps spreading after the ack) keeps its reason.
  const analysis = analyzeQuorum({ n: 3, r: 1, w: 1, down: 0, sloppy: false, cluster: null });
  const samplers = legSamplers({ w: { exponential: { rate: 1 } }, a: { constant: 1 }, r: { constant: 1 }, s: { constant: 1 } });
  const gap: QuorumResult = { analysis, latency: latencyRun(analysis, { file: "lat.yaml", name: null, samplers }, { trials: 4096, tMs: [0] }) };
  assert.match(renderQuorumText(gap, plain, { width: 400 }), /closed form +2\/3 \(66\.7%\) stale .*; simulated, [\d.]+% of reads right after the commit are stale, because the write keeps reaching the other replicas/);
});

/** By enumeration: a write made with every replica up sits on a uniform W of the N replicas (the last K then go down); a read asks a uniform R of the N − K up replicas and S stand-ins. The chance they share none. */
function staleBeforeByEnumeration(n: number, r: number, w: number, down: number, standIns: number): number {
  const subsets = (items: number[], k: number): number[][] =>
    k === 0 ? [[]] : items.length < k ? [] : [...subsets(items.slice(1), k - 1).map((s) => [items[0], ...s]), ...subsets(items.slice(1), k)];
  const replicas = Array.from({ length: n }, (_, i) => i);
  const reached = [...replicas.slice(0, n - down), ...Array.from({ length: standIns }, (_, i) => n + i)];
  let missed = 0;
  let all = 0;
  for (const writeSet of subsets(replicas, w)) {
    for (const readSet of subsets(reached, r)) {
      all++;
      if (!readSet.some((x) => writeSet.includes(x))) missed++;
    }
  }
  return missed / all;
}

test("text and markdown: with stand-ins answering reads, a write made before the failure is not given the figure of one made during it (review)", () => {
  // N=5, R=2, W=2, 1 down, 8-node cluster: the write's 2 replicas are any 2 of 5, the read asks 2 of the 4 up and the stand-in, which lacks it.
  const before = staleBeforeByEnumeration(5, 2, 2, 1, 1);
  assert.ok(Math.abs(before - 21 / 50) < 1e-12);
  const a = analyzeQuorum({ n: 5, r: 2, w: 2, down: 1, sloppy: true, cluster: 8 });
  const text = renderQuorumText({ analysis: a, latency: null }, plain, { width: 200 });
  assert.doesNotMatch(text, /3\/10 \(30\.0%\) +writes made before or during/);
  assert.match(text, /stale reads +21\/50 \(42\.0%\) +writes made before 1 replica went down: /);
  assert.match(text, /^ {14}3\/10 \(30\.0%\) +writes made while it is down: they land on 2 of the 5 nodes requests reach/m);
  assert.doesNotMatch(renderQuorumMarkdown({ analysis: a, latency: null }), /before or during the failure/);
  // N=3, R=1, W=1, 1 down: 7/9 before, 2/3 during.
  assert.ok(Math.abs(staleBeforeByEnumeration(3, 1, 1, 1, 1) - 7 / 9) < 1e-12);
  const small = renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 1, w: 1, down: 1, sloppy: true, cluster: 5 }), latency: null }, plain, { width: 200 });
  assert.match(small, /stale reads +7\/9 \(77\.8%\) +writes made before 1 replica went down/);
  // Strict quorum: before is the all-up closed form, during the up replicas' (unchanged).
  assert.ok(Math.abs(staleBeforeByEnumeration(5, 2, 2, 1, 0) - 3 / 10) < 1e-12);
});

test("text: a blocked write with one replica left reads 'only 1 replica can take it' (review)", () => {
  const text = renderQuorumText(result(3, 2, 2, 2), plain, { width: 200 });
  assert.match(text, /^ {2}writes +BLOCKED +needs 2 acks, only 1 replica can take it$/m);
});

test("text, markdown and JSON: with every replica of a key down, sloppy reads are not called simply available: stand-ins hold only new writes (review)", () => {
  // N=3 R=2 W=2 in an 8-node cluster: with all 3 replicas down, 3 stand-ins answer reads, and hold nothing written before.
  const analysis = analyzeQuorum({ n: 3, r: 2, w: 2, down: 3, sloppy: true, cluster: 8 });
  const res: QuorumResult = { analysis, latency: null };
  const text = renderQuorumText(res, plain, { width: 400 });
  assert.match(text, /^ {2}reads +available, stale +needs 2 replies: no replica up, so only 3 stand-ins answer, holding only the writes made since they stepped in/m);
  assert.match(text, /│ ▶ 3 +│ 0 +│ yes, hinted +│ stand-ins only +│ no, new writes only +│/);
  // One replica up, R = 2: every read hears from a stand-in.
  assert.match(text, /│ {3}2 +│ 1 +│ yes, hinted +│ yes, via stand-ins +│ no, hints pending +│/);
  assert.match(text, /│ {3}1 +│ 2 +│ yes +│ yes +│ no, hints pending +│/);
  assert.match(text, /Cassandra[^.]*never reads one: with fewer than R of a key's replicas up, its reads fail/);
  const md = renderQuorumMarkdown(res);
  assert.match(md, /\| ⚠️ yes, stale: stand-ins only \|/);
  assert.match(md, /\| ⚠️ stand-ins only \| ⚠️ no, new writes only \|/);
  const json = quorumJson(res) as { reads: Record<string, unknown>; byDown: { reads: Record<string, unknown> }[] };
  assert.equal(json.reads.standInsOnly, true);
  assert.deepEqual(json.byDown.map((d) => d.reads.standInsOnly), [false, false, false, true]);
  assert.deepEqual(json.byDown.map((d) => d.reads.viaStandIns), [false, false, true, true]);
  // A strict quorum's table is unchanged.
  const strict = renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 2, w: 2, down: 2, sloppy: false, cluster: null }), latency: null }, plain, { width: 400 });
  assert.match(strict, /│ ▶ 2 +│ 1 +│ no +│ no +│ no, blocked +│/);
});

test("text: with every replica down the closed form is 1, and the words say a read always misses a write made before, not that it can (review)", () => {
  const text = renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 2, w: 2, down: 3, sloppy: true, cluster: 8 }), latency: null }, plain, { width: 400 });
  assert.match(text, /stale reads +1 \(100%\) +writes made before 3 replicas went down: [^\n]* always misses them, the stand-ins being all it reaches/);
  assert.doesNotMatch(text, /can miss them/);
  // With a replica left, a read may or may not reach it: 'can miss' stays.
  const one = renderQuorumText({ analysis: analyzeQuorum({ n: 3, r: 2, w: 2, down: 2, sloppy: true, cluster: 8 }), latency: null }, plain, { width: 400 });
  assert.match(one, /reach can miss them/);
});

test("json: the stale-read figure the text leads with for a write made before the failure is in the JSON too, stand-ins or not (review)", () => {
  // N=5, R=W=1, 2 down, sloppy: reads ask 1 of 3 up replicas and 2 stand-ins; a write made before the failure sits on
  // 1 of the 5 replicas, so a read finds it with chance 3/5 · 1/5 and misses it 22/25 of the time (the text: "22/25").
  const sloppy = result(5, 1, 1, 2, { sloppy: true });
  assert.match(renderQuorumText(sloppy, plain, { width: 200 }), /stale reads +22\/25 \(88\.0%\) +writes made before 2 replicas went down/);
  const json = quorumJson(sloppy);
  assert.equal(json.staleProbability, 0.8);
  assert.deepEqual(json.staleBeforeFailure, { probability: 0.88, fraction: "22/25" });
  // R + W > N, yet the stand-in breaks the overlap: the text says 1/3, the JSON said only staleProbability 0.
  const hinted = quorumJson(result(3, 1, 3, 1, { sloppy: true }));
  assert.equal(hinted.staleProbability, 0);
  assert.deepEqual(hinted.staleBeforeFailure, { probability: 1 / 3, fraction: "1/3" });
  // A strict quorum: the same as staleProbability.
  assert.deepEqual(quorumJson(result(5, 2, 2, 2)).staleBeforeFailure, { probability: 0.3, fraction: "3/10" });
});

test("formatPercent: a value below a level of nines never reads as reaching it (review)", () => {
  // LNKD-DISK, N=3, R=W=1, seed 4: at 53 ms 99,899 of 100,000 reads returned the write; the table said "99.90%" while
  // the 99.9% point was later.
  assert.equal(formatPercent(0.99899, 2), "99.899%");
  assert.equal(formatPercent(0.98996, 2), "98.996%");
  assert.equal(formatPercent(0.89996, 1), "89.996%");
  assert.equal(formatPercent(0.999, 2), "99.90%");
  assert.equal(formatPercent(0.99904, 2), "99.90%");
  assert.equal(formatPercent(0.97333, 2), "97.33%");
  assert.equal(formatPercent(99_900 / 100_000, 2), "99.90%");
});

test("the t column prints each --t as given: 53 and 53.008 are two rows, not two \"53 ms\" (review)", () => {
  const analysis = analyzeQuorum({ n: 3, r: 1, w: 1, down: 0, sloppy: false, cluster: null });
  const legs: LegSamplers = { w: { sample: () => 0 }, a: { sample: () => 0 }, r: { sample: () => 0 }, s: { sample: () => 0 } };
  const run = { analysis, latency: latencyRun(analysis, { file: "lat.yaml", name: null, samplers: legs }, { trials: 10, tMs: [0, 0.0005, 53, 53.008] }) };
  const text = renderQuorumText(run, plain, { width: 200 });
  for (const t of ["0", "0.0005", "53", "53.008"]) assert.match(text, new RegExp(`│ ${t.replace(".", "\\.")} ms +│`));
  assert.match(renderQuorumMarkdown(run), /^\| 53\.008 ms \| 100% \|$/m);
});

test("text: a t-visibility curve flat at 100% says so and why, not that it grows with t (review)", () => {
  const flat = renderQuorumText(result(3, 2, 2, 0, { latency: true }), plain, { width: 200 });
  assert.match(flat, /It is 100% at every t: R \+ W > N, so every read hears from a replica that acknowledged the write\./);
  assert.doesNotMatch(flat, /It grows with t/);
  // A curve that does rise keeps the sentence.
  assert.match(renderQuorumText(result(3, 1, 1, 0, { latency: true }), plain, { width: 200 }), /It grows with t because/);
});
