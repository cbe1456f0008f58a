// A proxy (HAProxy checking Patroni's /primary) sees a leader that stops being the primary without crashing
// (it demoted itself on losing its lease, or a Raft leader stepped down on losing its majority) exactly as it
// sees a dead one: the check fails, after `fall` failed checks the proxy marks the node down and cuts its
// sessions, and it routes there again only after `rise` passing checks once the node leads again. So a
// re-promotion's endpoint switch gates the clients: writes are not back before the proxy routes to the leader.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { simulate } from "../../src/engine/simulate.js";
import type { SimulationResult } from "../../src/engine/result.js";
import { scenarioFrom, scenarioText } from "./helpers.js";

const scenarios = join(process.cwd(), "scenarios");

/** A bundled scenario with its topology inlined, its proxy checking every `checkInterval` (or as the file says). */
function bundled(name: string, checkInterval?: string): SimulationResult {
  if (checkInterval === undefined) return simulate(scenarioFrom(join(scenarios, `${name}.yaml`)));
  const text = readFileSync(join(scenarios, `${name}.yaml`), "utf8");
  const ref = /^topology: (.+)$/m.exec(text);
  assert.ok(ref, `${name} names its topology file`);
  const topology = readFileSync(join(scenarios, ref[1]), "utf8").replace(/check_interval: [^ }]+/, `check_interval: ${checkInterval}`);
  assert.match(topology, new RegExp(`check_interval: ${checkInterval}`));
  const inlined = text.replace(ref[0], `topology:\n${topology.split("\n").map((line) => `  ${line}`).join("\n")}`);
  return simulate(scenarioText(inlined, join(scenarios, `${name}.yaml`)));
}

/** The last time the endpoint switched, from the first fault. */
function endpointAfterFault(r: SimulationResult): number {
  const switches = r.timeline.filter((e) => e.event === "endpoint");
  assert.ok(switches.length > 0, "the endpoint switched");
  return switches[switches.length - 1].atMs - (r.firstFaultMs ?? 0);
}

function writeRto(r: SimulationResult): number {
  const rtos = r.classes.map((c) => c.rto.writeMs);
  assert.ok(rtos.every((x) => x !== null), "every class got its writes back");
  return Math.max(...(rtos as number[]));
}

function assertGated(r: SimulationResult, label: string): void {
  const endpoint = endpointAfterFault(r);
  for (const c of r.classes) {
    assert.ok(c.rto.writeMs !== null && c.rto.writeMs >= endpoint, `${label}: ${c.name} write RTO ${c.rto.writeMs} ≥ the endpoint switch ${endpoint}`);
  }
}

/** The proxy marked `node` down after it demoted (or stepped down) while alive. */
function markedDownAlive(r: SimulationResult, node: string): boolean {
  const demote = r.timeline.find((e) => e.node === node && e.event === "demote");
  assert.ok(demote, `${node} demotes`);
  return r.timeline.some((e) => e.node === node && e.event === "proxy-down" && e.atMs > demote.atMs && !("hostDown" in e && e.hostDown));
}

test("a leader that demoted itself and leads again is routed to only after the proxy's checks pass: the RTO is not before the endpoint switch (found by a review: the demoted node kept its proxy route)", () => {
  const r = bundled("leader-cut-off-briefly");
  assert.ok(r.timeline.some((e) => e.event === "repromote"), "pg-a leads again");
  assert.ok(markedDownAlive(r, "pg-a"), "the proxy marks the demoted pg-a down");
  assertGated(r, "check every 1s");
  const endpoint = endpointAfterFault(r);
  for (const c of r.classes) assert.ok(c.rto.p50ClientMs !== null && c.rto.p50ClientMs >= endpoint, `${c.name} client p50 ${c.rto.p50ClientMs} ≥ the endpoint switch ${endpoint}`);
});

test("with a longer check interval the re-promoted leader's RTO grows with the proxy's checks (found by a review: the RTO ignored them)", () => {
  const short = bundled("leader-cut-off-briefly");
  const long = bundled("leader-cut-off-briefly", "1.5s");
  assert.ok(markedDownAlive(long, "pg-a"), "its third failed check comes before it leads again (T+3.7s + 3 × 1.5s < T+9.7s)");
  assertGated(long, "check every 1.5s");
  assert.ok(endpointAfterFault(long) > endpointAfterFault(short), "the endpoint switches later");
  assert.ok(writeRto(long) > writeRto(short), `write RTO ${writeRto(long)} > ${writeRto(short)}`);
});

test("a proxy whose checks are too slow to see a brief demotion never marks the node down: nothing switches, the sessions carry on (found by a review: an endpoint event that gated nothing)", () => {
  // Demoted at T+3.7s and leading again at T+9.7s: `fall` (3) failed checks 5 s apart take at least 10 s.
  const r = bundled("leader-cut-off-briefly", "5s");
  assert.ok(r.timeline.some((e) => e.event === "repromote"), "pg-a leads again");
  assert.deepEqual(r.timeline.filter((e) => e.event === "proxy-down" || e.event === "endpoint").map((e) => e.event), [], "no mark-down, no switch");
  assert.ok(!r.phases.some((p) => p.phase === "endpoint"), "no endpoint phase");
});

test("a Raft leader that steps down on losing its majority and is elected again: the RTO waits for the proxy (found by a review)", () => {
  for (const interval of [undefined, "5s"]) {
    const r = bundled("consensus-majority-lost", interval);
    assert.ok(markedDownAlive(r, "r-east"), `${interval ?? "as bundled"}: the proxy marks the stepped-down r-east down`);
    assertGated(r, `check ${interval ?? "as bundled"}`);
  }
  assert.ok(writeRto(bundled("consensus-majority-lost", "5s")) > writeRto(bundled("consensus-majority-lost")), "a slower proxy check makes a longer RTO");
});

test("a demoted leader that never leads again (another node was promoted) is marked down by the proxy too (found by a review)", () => {
  const r = bundled("leader-cut-off-from-coordinator");
  assert.ok(r.timeline.some((e) => e.event === "promote" && e.node !== "pg-a"), "another node is promoted");
  assert.ok(markedDownAlive(r, "pg-a"), "the proxy marks the demoted pg-a down");
  assertGated(r, "failover");
});

test("a Raft leader cut off alone steps down while the others elect a leader; the proxy routes to the new one, and a mark-down of the old one comes only after it stepped down (found by a review)", () => {
  const text = readFileSync(join(scenarios, "consensus-majority-lost.yaml"), "utf8")
    .replace(/^faults:[\s\S]*?^expect:[\s\S]*$/m, "faults:\n  - { at: 20s, partition: [[us-east], [us-west, eu-west]], for: 20s }\n");
  const r = simulate(scenarioText(text, join(scenarios, "isolated-leader.yaml")));
  assert.ok(r.timeline.some((e) => e.event === "promote" && e.node !== "r-east"), "another member is elected");
  // etcd's leader steps down at its first quorum check that finds no majority, between one and two election
  // timeouts after the cut: the others may elect before it does, and its clients leave it as their requests fail.
  const demote = r.timeline.find((e) => e.node === "r-east" && e.event === "demote");
  assert.ok(demote, "r-east steps down");
  for (const e of r.timeline.filter((e) => e.node === "r-east" && e.event === "proxy-down")) assert.ok(e.atMs > demote.atMs, "no mark-down while it still passes the check");
  assertGated(r, "isolated leader");
  assert.ok(writeRto(r) < 20_000, `writes come back during the partition (${writeRto(r)} ms)`);
});

test("a DNS endpoint is untouched: nothing marks a demoted node down (requests to it fail at once instead)", () => {
  const text = readFileSync(join(scenarios, "leader-cut-off-briefly.yaml"), "utf8");
  const ref = /^topology: (.+)$/m.exec(text);
  assert.ok(ref);
  const topology = readFileSync(join(scenarios, ref[1]), "utf8").replace(/endpoint: \{[^}]*\}/, "endpoint: { kind: dns, ttl: 5s }");
  const r = simulate(scenarioText(text.replace(ref[0], `topology:\n${topology.split("\n").map((line) => `  ${line}`).join("\n")}`), join(scenarios, "x.yaml")));
  assert.deepEqual(r.timeline.filter((e) => e.event === "proxy-down"), []);
});
