// The words of honest verdicts, from typed facts: the recovery headline never
// says "handled" when acknowledged writes are gone, a class's verdict names the
// part that missed, timelines carry PostgreSQL's numbering and the election its
// reason. The facts themselves are tested in test/engine/honest-facts.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Chalk } from "chalk";
import { simulate } from "../../../src/engine/simulate.js";
import type { AckedLoss, Recovery } from "../../../src/engine/recovery.js";
import type { ClassResult, SimulationResult } from "../../../src/engine/result.js";
import { ackedLossText, drillText, headlineText, incidentText, otherLossesText, projectedLossText, restoreDuration, verdictText } from "../../../src/report/simulate/recovery-words.js";
import { classVerdictText } from "../../../src/report/simulate/class-verdict.js";
import { renderSimulateText } from "../../../src/report/simulate/text.js";
import { renderSimulateMarkdown } from "../../../src/report/simulate/markdown.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { simulationJson } from "../../../src/report/simulate/json.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { scenarioFrom, scenarioText } from "../../engine/helpers.js";
import { ledger } from "../../fixtures/results/failover.js";

const plain = new Chalk({ level: 0 });
const run = (name: string): SimulationResult => simulate(scenarioFrom(join(process.cwd(), "scenarios", `${name}.yaml`)));

const asyncLoss: AckedLoss = { cause: "async-failover", lostWrites: 1009, oldLeader: "db-a", newLeader: "db-b", oldLeaderLost: false, oldLeaderRejoinedMs: null };

function lossRecovery(losses: AckedLoss[]): Recovery {
  const lostWrites = losses.reduce((n, l) => n + l.lostWrites, 0);
  return {
    needed: false,
    method: "failover",
    incident: { kind: "acked-writes-lost", lostWrites },
    writesNotBack: [],
    targetAtMs: null,
    restoreMs: null,
    mergeMs: null,
    totalMs: null,
    lostWrites,
    reconcileWrites: 0,
    extrapolated: false,
    options: [],
    drills: [],
    verdict: { kind: "acked-writes-lost", lostWrites, losses, drills: "none" },
    ackedLosses: losses,
  };
}

test("headline: acknowledged writes lost says how many, by whom, why, and that no restore puts them back", () => {
  const r = lossRecovery([asyncLoss]);
  assert.equal(headlineText(r), "ACKNOWLEDGED WRITES LOST — 1,009 writes acknowledged by db-a never reached db-b before it was promoted (asynchronous failover); no restore puts them back in place.");
  assert.equal(incidentText(r.incident), "no data damaged, but 1,009 acknowledged writes lost");
  assert.doesNotMatch(verdictText(r.verdict), /handled/i);
  const split: AckedLoss = { cause: "split-brain", lostWrites: 3758, oldLeader: "pg-a", splitBrainMs: 36_000 };
  const both = headlineText(lossRecovery([{ ...asyncLoss, lostWrites: 421 }, split]));
  assert.match(both, /^ACKNOWLEDGED WRITES LOST — 4,179 writes acknowledged and gone \(421: asynchronous failover; 3,758: split brain without fencing\)/);
});

test("each cause says whether a restore could bring its writes back, and from where", () => {
  const words = (l: AckedLoss) => verdictText(lossRecovery([l]).verdict);
  assert.match(words(asyncLoss), /db-a's old timeline .*pg_rewind.*side instance/);
  assert.match(words({ ...asyncLoss, oldLeaderLost: true, oldLeaderRejoinedMs: null }), /db-a's WAL was lost with it: only a WAL archive/);
  assert.match(words({ cause: "split-brain", lostWrites: 5, oldLeader: "pg-a", splitBrainMs: 1000 }), /point-in-time restore of its old timeline on a side instance.*never in place/);
  assert.match(words({ cause: "lww-conflict", lostWrites: 5, between: "leaders", clockAhead: false }), /replays the same conflict.*WAL/);
  assert.match(words({ cause: "lww-conflict", lostWrites: 5, between: "coordinators", clockAhead: true }), /replays the same timestamps.*compaction/);
  assert.match(ackedLossText({ cause: "lww-conflict", lostWrites: 3, between: "coordinators", clockAhead: true }), /^3 writes .*later timestamp .*clock runs ahead\)$/);
  // One write lost reads in the singular (found by a review: '1 write were silently overwritten by a write ... that had not seen them').
  assert.equal(ackedLossText({ cause: "lww-conflict", lostWrites: 1, between: "coordinators", clockAhead: true }), "1 write was silently overwritten by a write to the same key that had not seen it but carried a later timestamp (last-writer-wins: a concurrent write, or one made before it by a coordinator whose clock runs ahead)");
  assert.match(ackedLossText({ cause: "lww-conflict", lostWrites: 1, between: "leaders", clockAhead: false }), /^1 write was silently overwritten/);
  assert.match(ackedLossText({ cause: "split-brain", lostWrites: 1, oldLeader: "pg-a", splitBrainMs: 1000 }), /^1 write acknowledged by pg-a during .* was discarded when it rejoined$/);
  assert.match(ackedLossText({ cause: "lagging-promoted", lostWrites: 1, oldLeader: "pg-a", newLeader: "pg-c", oldLeaderLost: false, oldLeaderRejoinedMs: null }), /^1 write acknowledged by pg-a was not on pg-c/);
  assert.match(ackedLossText({ cause: "sync-fallback", lostWrites: 56, oldLeader: "pg-a", newLeader: "pg-dr", oldLeaderLost: false, oldLeaderRejoinedMs: null }), /^56 writes acknowledged by pg-a after .*fell back to asynchronous commits \(non-strict synchronous replication\) never reached pg-dr$/);
  assert.match(ackedLossText({ cause: "region-unreplicated", lostWrites: 1, node: "m-us" }), /^1 write acknowledged by m-us had not reached another region/);
  assert.match(ackedLossText({ cause: "unflushed-crash", lostWrites: 2, node: "pg-a" }), /^2 writes acknowledged by pg-a under commit: off were not yet flushed to its disk when it crashed/);
  assert.match(words({ cause: "unflushed-crash", lostWrites: 1, node: "pg-a" }), /It never reached a disk: no replica, archive or restore holds it\./);
});

test("bundled runs that lost acknowledged writes never say replication handled it; a clean run still does", () => {
  for (const name of ["async-failover-loses-writes", "split-brain-no-fencing", "sync-standby-down-nonstrict", "multi-leader-partition-lww", "region-loss-async-dr", "leader-dies-in-az-a"]) {
    const result = run(name);
    const text = renderSimulateText(result, plain);
    assert.doesNotMatch(text, /HANDLED IT|none that damaged data/, name);
    assert.match(text, new RegExp(`ACKNOWLEDGED WRITES LOST — ${result.totals.writesLost.toLocaleString("en-US")} `), name);
    assert.match(renderSimulateMarkdown(result), /#### Recovery — ACKNOWLEDGED WRITES LOST/, name);
  }
  assert.match(renderSimulateText(run("dns-stale-clients"), plain), /REPLICATION HANDLED IT — nothing acknowledged was lost/);
});

test("no failover and writes never back: nothing was lost, but replication did not handle it (found by a review)", () => {
  // At 2,000 writes/s both replicas are over maximum_lag_on_failover when the leader dies: Patroni promotes neither.
  const base = scenarioFrom(join(process.cwd(), "scenarios", "async-failover-loses-writes.yaml"));
  const result = simulate({ ...base, workload: { ...base.workload, writes: 2000 }, expectations: [] });
  assert.equal(result.totals.failovers, 0);
  assert.ok(result.classes.every((c) => c.rto.writeMs === null), "writes never came back");
  const text = renderSimulateText(result, plain);
  assert.doesNotMatch(text, /HANDLED IT/);
  assert.match(text.replace(/\s+/g, " "), /NOTHING ACKNOWLEDGED WAS LOST — BUT WRITES NEVER CAME BACK \(orders, analytics\)/);
});

test("a class's verdict names the part that missed", () => {
  const judged = (verdicts: ClassResult["verdicts"], recovery?: Partial<Recovery>) => classVerdictText(ledger({ verdicts, met: false }), recovery as Recovery | undefined);
  const all = { rpo: true, writeRto: true, readRto: true, p99ClientRto: true, keyRto: null, restoreRto: null, restoreRpo: null, noFaultRejects: null };
  assert.equal(classVerdictText(ledger({ verdicts: all, met: true })), "met");
  assert.equal(judged({ ...all, p99ClientRto: false }), "write RTO met · p99 client missed");
  assert.equal(judged({ ...all, rpo: false }), "RPO missed");
  assert.equal(judged({ ...all, writeRto: false, p99ClientRto: false }), "write RTO missed · p99 client missed");
  assert.equal(judged({ ...all, restoreRto: false, restoreRpo: true }, { method: "pitr", restoreMs: 2_742_000, mergeMs: 330_000, totalMs: 3_072_000, lostWrites: 0 }), "write RTO met · restore and merge 51.2m missed");
  assert.equal(judged({ ...all, restoreRto: false, restoreRpo: true }, { method: "pitr", restoreMs: 2_742_000, mergeMs: 0, totalMs: 2_742_000, lostWrites: 0 }), "write RTO met · restore 45.7m missed");
  assert.equal(judged({ ...all, restoreRto: true, restoreRpo: false }, { method: "base-backup", restoreMs: 1000, mergeMs: 1000, totalMs: 2000, lostWrites: 31_191 }), "restore loses 31,191 writes");
  assert.equal(judged({ ...all, restoreRto: false, restoreRpo: false }, { method: "none", restoreMs: null, mergeMs: null, totalMs: null, lostWrites: 905 }), "write RTO met · data unrecoverable");
  // A live run's classes carry no per-part verdicts: the overall one stands.
  assert.equal(classVerdictText(ledger({ met: false })), "missed");
});

test("the reports show the per-part verdict; the JSON adds the parts beside the unchanged met", () => {
  const dns = run("dns-stale-clients");
  assert.match(renderSimulateText(dns, plain, { width: 250 }), /│ ledger .*│ \S+ \/ 5m[\d.]+s +│ .* │ write RTO met · p99 client missed │/);
  assert.match(renderSimulateMarkdown(dns), /❌ 5m[\d.]+s .*❌ write RTO met · p99 client missed/);
  const [cls] = simulationJson(dns).classes as Record<string, unknown>[];
  assert.equal(cls.met, false);
  assert.deepEqual(cls.verdicts, { rpo: true, writeRto: true, readRto: true, p99ClientRto: false, keyRto: null, restoreRto: null, restoreRpo: null, noFaultRejects: true });
  const bad = run("bad-delete-in-deploy");
  assert.match(renderSimulateText(bad, plain, { width: 250 }), /│ accounts .*│ write RTO met · restore and merge 51\.2m missed │/);
  const recovery = simulationJson(run("async-failover-loses-writes")).recovery as Record<string, unknown>;
  // The archive (a 16MB segment about every 16 s) was 7.3 s behind the crash: it holds none of the lost writes.
  assert.deepEqual(recovery.ackedLosses, [
    {
      cause: "async-failover",
      lostWrites: 1009,
      detail: "1,009 writes acknowledged by db-a never reached db-b before it was promoted (asynchronous failover)",
      archive: { kind: "held", heldWrites: 0, lagMs: 7272.8, replay: { gap: null, reachableWrites: 0, stoppedBy: null } },
    },
  ]);
  assert.equal(recovery.lostWrites, 1009);
});

test("timeline words: the first promotion is timeline 2, and an election says why its winner won", () => {
  const result = run("split-brain-no-fencing");
  const words = (event: string) => result.timeline.filter((e) => e.event === event).map((e) => describeEntry(e, result));
  assert.match(words("promote")[0], /^promoted: new timeline 2 from LSN/);
  assert.match(words("rewind")[0], /not on timeline 2$/);
  assert.equal(words("elect")[0], "elected: tied with pg-c at WAL position 5.9MB with equal priority; first to take the leader key");
  for (const r of [result, run("async-failover-loses-writes"), run("reconnect-storm-jitter"), run("manual-failover")]) {
    for (const text of r.timeline.filter((e) => e.event === "elect").map((e) => describeEntry(e, r))) {
      const m = /highest WAL position (\S+) \(vs \S+ (\S+)\)/.exec(text);
      assert.ok(m === null || m[1] !== m[2], `an election compares equal positions: ${text}`);
    }
  }
  const manual = run("manual-failover");
  assert.match(manual.timeline.filter((e) => e.event === "elect").map((e) => describeEntry(e, manual))[0], /only eligible candidate.*not eligible: pg-c \(asynchronous/);
});

test("a leader that leads again on the key it kept is not called the new leader while its commits wait for a standby", () => {
  const blockedWords = (r: SimulationResult) => r.timeline.filter((e) => e.event === "writes-blocked").map((e) => describeEntry(e, r));
  const [again] = blockedWords(run("leader-cut-off-briefly"));
  assert.doesNotMatch(again, /new leader/);
  assert.match(again, /no synchronous standby named yet \(it leads again: its HA loop names one among the replicas that stream from it once more, and none does yet\)/);
  const [elected] = blockedWords(run("leader-dies-in-az-a"));
  assert.match(elected, /\(the new leader's HA loop names one among the replicas that stream from it, and none does yet\)/);
});

test("the sync phase is said in words under every phase chart (text, markdown, HTML); a failover without one has no such note", () => {
  const note = "sync: the promoted leader's synchronous commits wait until a standby streams from it and is named its synchronous standby.";
  const result = run("leader-dies-in-az-a");
  const text = renderSimulateText(result, plain, { width: Infinity });
  assert.ok(text.slice(text.indexOf("Failover phases"), text.indexOf("RPO / RTO")).includes(note), text);
  assert.ok(renderSimulateMarkdown(result).includes(note));
  assert.ok(renderSimulateHtml([result]).includes(`<p class="note">${note}`));
  const none = run("async-failover-loses-writes");
  assert.equal(none.phases.some((p) => p.phase === "sync"), false);
  assert.doesNotMatch(renderSimulateText(none, plain), /sync: /);
});

test("the failover phases never start before the first fault (no 'T-' on a phase)", () => {
  const text = renderSimulateText(run("split-brain-no-fencing"), plain);
  const phases = text.slice(text.indexOf("Failover phases"), text.indexOf("RPO / RTO"));
  assert.doesNotMatch(phases, /T-/);
  assert.match(phases, /detect +T\+0 /);
});

test("a client tail that never came back still shows: the p99 client column says never, in the verdict's colours", () => {
  const verdicts = { rpo: true, writeRto: true, readRto: true, p99ClientRto: false, keyRto: null, restoreRto: null, restoreRpo: null, noFaultRejects: null };
  const result = { ...run("leader-dies-in-az-a") };
  result.classes = [ledger({ rto: { targetMs: 30_000, writeMs: 10_000, readMs: 10_000, p50ClientMs: 20_000, p99ClientMs: null }, verdicts, met: false })];
  const line = renderSimulateText(result, plain, { width: 250 }).split("\n").find((l) => l.startsWith("│ ledger"));
  assert.match(line ?? "", /│ 20s \/ never +│ .* │ write RTO met · p99 client missed │/);
  // Without a fault-time verdict, an absent tail stays a dash and the column is left out.
  result.classes = [ledger({ rto: { targetMs: 30_000, writeMs: 10_000, readMs: 10_000, p50ClientMs: null, p99ClientMs: null }, met: true })];
  assert.doesNotMatch(renderSimulateText(result, plain), /client p50/);
});

test("acknowledged writes lost beside a bad write are still said", () => {
  const r: Recovery = { ...lossRecovery([asyncLoss]), verdict: { kind: "guard-refused", statement: "delete" } };
  assert.match(otherLossesText(r), /^Besides, acknowledged writes were lost: 1,009 writes acknowledged by db-a/);
  assert.equal(otherLossesText(lossRecovery([asyncLoss])), "", "said once, by the verdict itself");
  assert.equal(otherLossesText({ ...r, ackedLosses: [] }), "");
});

test("every format says the same recovery facts: other losses, projected losses and the restore drills are in the HTML as in the text and Markdown (found by a review: the HTML said none of them)", () => {
  const result = { ...run("drill-finds-broken-archive") };
  const base = result.recovery!;
  result.recovery = { ...base, verdict: { kind: "guard-refused", statement: "delete" }, ackedLosses: [asyncLoss], projectedLostWrites: 12 };
  const others = otherLossesText(result.recovery);
  const projected = projectedLossText(result.recovery);
  assert.ok(others !== "" && projected !== "" && base.drills.length > 0);
  const flat = (s: string) => s.replace(/\s+/g, " ");
  const html = renderSimulateHtml([result]).replace(/&#39;|&quot;|&amp;|&lt;|&gt;/g, (e) => ({ "&#39;": "'", "&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">" })[e]!);
  for (const [format, out] of [["text", renderSimulateText(result, plain, { width: Infinity })], ["markdown", renderSimulateMarkdown(result)], ["html", html]] as const) {
    for (const sentence of [others, projected, ...base.drills.map((d) => drillText(d))]) assert.ok(flat(out).includes(flat(sentence)), `${format} lacks: ${sentence}`);
  }
});

test("every restore in the recovery section says its total, in the sentence, the table and the JSON (found by a review: the email=NULL case printed none)", () => {
  for (const name of ["update-users-email-null", "bad-delete-in-deploy", "deleted-nine-days-ago", "deleted-nine-days-ago-logical"]) {
    const result = run(name);
    const text = renderSimulateText(result, plain, { width: 250 });
    const section = text.slice(text.indexOf("Recovery"));
    const total = restoreDuration(result.recovery!.totalMs!);
    assert.match(section.replace(/\s+/g, " "), new RegExp(`: ${total.replace(".", "\\.")} in total;`), name);
    assert.match(section, /│ total( time)? +│/, `${name}: a total column`);
    assert.match(renderSimulateMarkdown(result), /\| option \| possible \| restore time \| total time \|/);
    const json = simulationJson(result).recovery as { totalMs: number; options: { restoreMs: number | null; totalMs: number | null }[] };
    assert.ok(json.totalMs > 0, name);
    for (const o of json.options) assert.equal(o.totalMs === null, o.restoreMs === null, name);
  }
});

test("the headline of a restore says why replication could not help and what the restore misses (found by a review: 'copied the damage everywhere' after a lost region, 'saved the data' beside 31,191 lost writes)", () => {
  const lost = simulate(
    scenarioText(`kind: scenario
name: lose-the-only-region
topology: ${join(process.cwd(), "topologies", "payments-7d-pitr.yaml")}
seed: 5
duration: 3m
workload: { writes: 200, reads: 200, clients: 20 }
faults:
  - { at: 60s, lose: us-east }
`),
  ).recovery!;
  assert.equal(lost.verdict.kind, "cross-region-restore");
  assert.ok(lost.lostWrites > 0);
  assert.equal(headlineText(lost), `ONLY THE BACKUPS SAVED THE DATA, WITH LOSS — no replica outside us-east could take over, and the restore misses the ${lost.lostWrites.toLocaleString("en-US")} writes the archive had not received.`);
  const snapshot = run("deleted-nine-days-ago").recovery!;
  assert.match(headlineText(snapshot), /^ONLY THE BACKUPS SAVED THE DATA, WITH LOSS — replication had copied the damage everywhere, and the restore misses 31,191 writes to the damaged rows\.$/);
  assert.equal(headlineText(run("bad-delete-in-deploy").recovery!), "ONLY THE BACKUPS SAVED THE DATA — replication had copied the damage everywhere.");
});

test("a proxy marking a node down: one session is singular, and after a host failure it closes the sessions still open to the dead host", () => {
  const place = { atMs: 3000, node: "p" };
  const say = (fact: { sessionsCut: number; hostDown?: boolean }) => describeEntry({ ...place, event: "proxy-down", ...fact }, { firstFaultMs: 0, mode: "leader-follower" });
  assert.equal(say({ sessionsCut: 1, hostDown: true }), "proxy health checks mark it down and close the 1 client session still open to the dead host: it reconnects");
  assert.equal(say({ sessionsCut: 354, hostDown: true }), "proxy health checks mark it down and close the 354 client sessions still open to the dead host: they all reconnect at once");
  assert.equal(say({ sessionsCut: 1 }), "proxy marks it down and cuts 1 client session: it reconnects");
  // The engine says which: the repro's host failure leaves one idle session on the dead leader.
  const result = simulate(scenarioText(`kind: scenario
name: proxy-one-session
seed: 1
duration: 60s
workload: { writes: 100, reads: 100, clients: 100 }
faults:
  - { at: 30s, crash: p }
topology:
  kind: topology
  name: proxy-one-session
  regions: { east: { zones: [a, b, c] } }
  nodes:
    p: { zone: east/a, role: leader }
    r: { zone: east/b }
    s: { zone: east/c }
  replication: { mode: leader-follower }
  failover: { detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }, endpoint: { kind: proxy, check_interval: 1s } }
  data_classes:
    c: { rpo: 1m, rto: 1m }
`));
  const cut = result.timeline.filter((e) => e.event === "proxy-down");
  assert.equal(cut.length, 1);
  assert.ok(!("observed" in cut[0]) && cut[0].event === "proxy-down" && cut[0].hostDown === true);
  assert.match(describeEntry(cut[0], result), /^proxy health checks mark it down and close the \d+ client sessions? still open to the dead host/);
});

test("damage noticed after the run ends says its figures are extrapolated in the recovery section of every format, not only in text (found by a review)", () => {
  const result = run("deleted-nine-days-ago");
  assert.equal(result.recovery?.extrapolated, true);
  const said = /Noticed after the simulated run ends: writes after it are extrapolated at the workload's steady rate/;
  const section = (doc: string, heading: string) => doc.slice(doc.indexOf(heading));
  assert.match(section(renderSimulateText(result, plain, { width: 200 }), "\nRecovery\n"), said);
  assert.match(section(renderSimulateMarkdown(result), "#### Recovery"), said);
  assert.match(section(renderSimulateHtml([result]), "<h2>Recovery</h2>"), said);
});
