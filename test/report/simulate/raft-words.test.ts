// A consensus (Raft) run is told in Raft's words: terms, votes of a majority,
// log entries sent by AppendEntries, a diverged follower's uncommitted suffix
// truncated. PostgreSQL's words (pg_rewind, timelines, the leader key, read-only
// demotion, synchronous standbys) belong to the leader/follower runs of the other
// presets, and the same facts keep them there (an etcd-raft topology speaks Raft in either mode).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Chalk } from "chalk";
import { simulate } from "../../../src/engine/simulate.js";
import type { SimulationResult, TimelineEntry } from "../../../src/engine/result.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { renderSimulateText } from "../../../src/report/simulate/text.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { scenarioFrom, scenarioText } from "../../engine/helpers.js";

const plain = new Chalk({ level: 0 });
const scenarios = join(process.cwd(), "scenarios");
const bundled = ["consensus-majority-lost", "consensus-region-loss", "consensus-stale-dns", "cross-region/consensus-partition", "cross-region/consensus-region-loss"];

/** A three-region Raft group (one member per region) under the given faults. */
function variation(name: string, faults: string): SimulationResult {
  const text = `kind: scenario
name: ${name}
topology: ../topologies/consensus-three-regions.yaml
seed: 5
duration: 80s
workload: { writes: 300, reads: 600, clients: 90, zones: [us-east/a, us-west/a, eu-west/a] }
faults:
${faults}
`;
  return simulate(scenarioText(text, join(scenarios, `${name}.yaml`)));
}

const runs: SimulationResult[] = [
  ...bundled.map((name) => simulate(scenarioFrom(join(scenarios, `${name}.yaml`)))),
  // The old leader crashes and comes back after the election: its log holds entries the new leader's does not.
  variation("leader-crash-restart", "  - { at: 20s, crash: r-east, for: 10s }"),
  variation("follower-crash", "  - { at: 20s, crash: r-west, for: 15s }"),
  variation("follower-partition", "  - { at: 20s, partition: [[us-east, us-west], [eu-west]], for: 20s }"),
  variation("no-majority-anywhere", "  - { at: 20s, partition: [[us-east], [us-west], [eu-west]], for: 10s }"),
];

/** PostgreSQL's words; "timeline" as the name of its WAL history (a numbered or "new" timeline, "on timeline N"). */
const POSTGRES_WORDS = [/pg_rewind/, /leader key/, /read-only/, /synchronous standby/, /sync standby/, /sync-capable/, /strict synchronous/, /\btimeline\b/i, /\bLSN\b/, /WAL position/];

const words = (r: SimulationResult, event: string) => r.timeline.filter((e) => e.event === event).map((e) => describeEntry(e, r));
const everyRun = (event: string) => runs.flatMap((r) => words(r, event));

test("no timeline entry of a consensus run uses PostgreSQL's words, nor does its recovery section", () => {
  for (const r of runs) {
    assert.equal(r.mode, "consensus");
    for (const entry of r.timeline) {
      const text = describeEntry(entry, r);
      for (const word of POSTGRES_WORDS) assert.doesNotMatch(text, word, `${r.scenario}, ${entry.event}: ${text}`);
    }
    const recovery = renderSimulateText(r, plain, { width: 250 }).split("\nRecovery\n")[1]?.split("\nReplication lag")[0] ?? "";
    assert.doesNotMatch(recovery, /replica in another region (was promoted|took over)/, r.scenario);
  }
});

test("a consensus run says its facts in Raft's words: terms, votes of a majority, log entries, truncation", () => {
  // The facts these runs must have, so the words below are checked at all.
  for (const event of ["rewind", "promote", "elect", "demote", "coordinator-lost", "follow", "redundancy", "no-candidate", "recover", "fence"]) {
    assert.ok(everyRun(event).length > 0, `no ${event} fact in the consensus runs`);
  }
  for (const text of everyRun("rewind")) assert.match(text, /^AppendEntries' consistency check finds its log diverged: truncates \S+ of uncommitted entries from an older term/);
  for (const text of everyRun("promote")) assert.match(text, /^leader for a new term, its log ending at \S+; it holds every committed write$/);
  for (const text of everyRun("elect")) assert.match(text, /^elected by the votes of a majority: /);
  for (const text of everyRun("demote")) assert.match(text, /steps down to follower/);
  for (const text of everyRun("coordinator-lost")) assert.match(text, /no majority of the members; will step down to follower at T\+\S+, (an election timeout after|at its first quorum check .* between one and two election timeouts after the last answer)/);
  for (const text of everyRun("fence")) assert.match(text, /(without a|cut off from the) majority it can commit nothing/);
  for (const text of everyRun("no-candidate")) assert.match(text, /^no member can be elected: .*majority/);
  for (const text of everyRun("recover")) assert.match(text, /restarts from its own log .*AppendEntries/);
  assert.ok(everyRun("follow").some((t) => /^follows \S+; the leader's AppendEntries send it the \d+ log entries it lacks/.test(t)));
  // A stale DNS client's old leader: the partitioned leader's writes after the cut were never committed.
  const stale = runs.find((r) => r.scenario === "consensus-stale-dns")!;
  // Each member runs its own timer: the first to run out among those a majority would vote for campaigns and wins.
  assert.match(words(stale, "elect")[0], /: its randomized election timer ran out first of the members a majority would vote for; its log at \S+, level with etcd-3's$/);
});

test("a Raft group's redundancy counts members against the majority of the three (2)", () => {
  const byScenario = (name: string) => words(runs.find((r) => r.scenario === name)!, "redundancy");
  // Every member back after the majority returned: 3 reach the leader, one more can be lost.
  assert.deepEqual(byScenario("consensus-majority-lost"), ["3 of 3 members reach the leader (itself included); a majority is 2: commits go on and survive losing 1 more member"]);
  // The old leader's region is gone: 2 of 3 are left, exactly a majority.
  assert.deepEqual(byScenario("consensus-region-loss"), ["2 of 3 members reach the leader (itself included); a majority is 2: commits go on; losing one more member stops them"]);
});

test("the same facts keep PostgreSQL's words in a Patroni leader/follower run", () => {
  const stale = runs.find((r) => r.scenario === "consensus-stale-dns")!;
  const asPostgres = { ...stale, mode: "leader-follower", preset: "patroni" };
  const say = (event: string) => describeEntry(stale.timeline.find((e) => e.event === event) as TimelineEntry, asPostgres);
  assert.match(say("rewind"), /^pg_rewind: discards \S+ of WAL not on timeline 2$/);
  assert.match(say("promote"), /^promoted: new timeline 2 from LSN/);
  assert.match(say("demote"), /demotes itself to read-only/);
  // Patroni has no election timers: of two candidates level at the same position, the first to take the leader key wins.
  const elect = stale.timeline.find((e) => e.event === "elect") as TimelineEntry;
  const race = { ...elect, why: { kind: "race", tiedWith: ["etcd-3"] } } as TimelineEntry;
  assert.match(describeEntry(race, asPostgres), /^elected: tied with etcd-3 at WAL position \S+ with equal priority; first to take the leader key$/);
  assert.match(describeEntry(race, stale), /its randomized election timer ran out first, so it asked for votes first$/);
});

/** A three-member etcd-raft group run on the leader/follower machinery (mode: leader-follower), under one fault. */
function etcdLeaderFollower(fault: string): SimulationResult {
  return simulate(
    scenarioText(`kind: scenario
name: etcd-leader-follower
seed: 1
duration: 60s
topology:
  kind: topology
  name: r
  preset: etcd-raft
  regions:
    r: { zones: [a, b, c] }
  nodes:
    n1: { zone: r/a, role: leader }
    n2: { zone: r/b }
    n3: { zone: r/c }
  replication: { mode: leader-follower }
  data_classes:
    d: { rpo: 0, rto: 30s, share: 1 }
workload: { writes: 200, reads: 10, clients: 20, zones: [r/a, r/b] }
faults:
  - ${fault}
`),
  );
}

test("an etcd-raft topology in leader/follower mode speaks Raft's words, not Patroni's (found by a review: leader key, pg_rewind, strict synchronous mode and Patroni's /read-only check in an etcd run)", () => {
  const crashed = etcdLeaderFollower("{ at: 10s, crash: n1, for: 20s }");
  const brief = etcdLeaderFollower("{ at: 10s, crash: n1, for: 500ms }");
  const cut = etcdLeaderFollower("{ at: 10s, partition: [[n1], [n2, n3]], for: 20s }");
  for (const r of [crashed, brief, cut]) {
    assert.equal(r.mode, "leader-follower");
    for (const entry of r.timeline) {
      const text = describeEntry(entry, r);
      for (const word of [...POSTGRES_WORDS, /Patroni/, /HA loop/, /loop_wait/]) assert.doesNotMatch(text, word, `${entry.event}: ${text}`);
    }
  }
  const say = (r: SimulationResult, event: string) => words(r, event);
  assert.match(say(crashed, "elect")[0], /^elected by the votes of a majority: /);
  assert.match(say(crashed, "promote")[0], /^leader for a new term/);
  assert.match(say(crashed, "writes-blocked")[0], /^a commit needs a majority: 1 follower besides the leader, and none follows it yet; commits wait$/);
  assert.match(say(crashed, "writes-unblocked")[0], /^a majority again \(with n3\); commits resume after/);
  assert.match(say(crashed, "read-pool-out")[0], /^etcd's client takes it out of the members it sends reads to/);
  assert.match(say(crashed, "recover")[0], /restarts from its own log .*AppendEntries/);
  assert.match(say(brief, "recover")[0], /^host back before the followers' election timeout ran out: no member campaigned/);
  assert.match(say(cut, "rewind")[0], /^AppendEntries' consistency check finds its log diverged: truncates/);
  assert.match(say(cut, "demote")[0], /^steps down to follower/);
});

test("the HTML lanes of a consensus run show followers and a truncated log, not standbys and a rewind", () => {
  const html = renderSimulateHtml([runs.find((r) => r.scenario === "consensus-stale-dns")!]);
  assert.match(html, /data-role="follower"/);
  // The truncation takes no time of its own here (the follower catches up at once), so only the key names it.
  assert.match(html, /<\/span>truncating log<\/span>/);
  assert.doesNotMatch(html, /data-role="(sync standby|async replica|rewinding)"/);
  assert.doesNotMatch(html, /<\/span>(sync standby|async replica|rewinding)<\/span>/);
});
