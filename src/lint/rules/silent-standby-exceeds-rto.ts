// A synchronous standby that dies without a word (its host crashes, a partition
// cuts it off) sends the leader no connection reset. PostgreSQL keeps waiting
// for it until wal_sender_timeout (60 s by default), and a failover manager
// that names the standbys (Patroni) drops it only when its member key expires.
// A commit rule that waits for that one standby (FIRST n names it; ANY k with no
// spare has nobody else) holds every write meanwhile, though a spare streams.
import { silentStandbyHold } from "../../base/failover-timing.js";
import { commitAllowsLoss, formatMs, listWords, syncCandidateNodes } from "../design.js";
import type { Rule } from "../types.js";

export const silentStandbyExceedsRto: Rule = {
  id: "silent-standby-exceeds-rto",
  severity: "warning",
  description:
    "A synchronous standby that goes silent (a crash, a partition) holds every commit waiting for it until the leader gives up on it " +
    "(wal_sender_timeout, or the failover manager's member key): that wait must fit the RTO of each class whose commits wait for it.",
  hint: "Use ANY 1 (b, c): a commit takes whichever standby answers first, so a silent one holds nothing.",
  docs: {
    why:
      "A standby whose host crashes, or that a partition cuts off, sends the leader no connection reset: as far as the leader knows, it is still there. " +
      "PostgreSQL keeps its WAL sender, and keeps it in pg_stat_replication, until `wal_sender_timeout` (60 s by default) passes without a reply. " +
      "A failover manager that names the synchronous standbys (Patroni's synchronous mode) drops it sooner, when its member key expires: up to `ttl` after its last HA loop, " +
      "acted on at the leader's next loop; but a standby cut off from the leader that still reaches the DCS keeps its key, and the timeout decides. " +
      "Meanwhile a rule that waits for that standby in particular holds every commit: FIRST n names it, and ANY k with no spare has nobody else to ask. " +
      "Another standby streaming beside it does not help until the silent one is dropped. " +
      "The rule fires when a crash alone holds commits for as long as the RTO of a class whose commits wait for a standby, or longer (the held commits still need another standby's acknowledgement once the silent one is dropped).",
    fix:
      "Use a quorum rule with a spare, `standbys: \"ANY 1 (b, c)\"` (Patroni 3's `synchronous_mode: quorum`): a commit waits for whichever standby answers first, " +
      "so one that goes silent holds nothing. With a failover manager that names the standby, a shorter `ttl` drops a crashed one sooner. " +
      "Lowering `replication.wal_sender_timeout` (PostgreSQL's, 60 s by default) shortens the wait for a crashed or partitioned one, at the price of dropping a standby that is only slow.",
    example: {
      bad: [
        "preset: postgres-manual",
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"FIRST 1 (pg-b, pg-c)\", commit: on, strict: true }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
      good: [
        "preset: postgres-manual",
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", commit: on, strict: true }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null && t.derived.system.walSenderTimeoutMs !== null,
  check({ topology }) {
    const replication = topology.replication;
    const timeoutMs = topology.derived.system.walSenderTimeoutMs;
    if (replication.mode !== "leader-follower" || replication.sync === null || timeoutMs === null) return [];
    const sync = replication.sync;
    const candidates = syncCandidateNodes(topology, sync);
    // ANY k with a spare commits on the others' acknowledgements; with none, strict mode halts for as long as the
    // standby is down, which strict-single-sync reports, unless the failover manager lowers the count to the
    // standbys that stream (Patroni): then the halt ends when it drops the silent one, FIRST or ANY alike.
    if (sync.method === "any" && candidates.length > sync.count) return [];
    if (sync.strict && candidates.length <= sync.count && !(sync.lowersCount && candidates.length > 1)) return [];
    const patroni = topology.derived.patroni;
    const lease = sync.managed && patroni !== null ? { ttlMs: patroni.ttlMs, loopWaitMs: topology.derived.detection.renewalPeriodMs } : null;
    const hold = silentStandbyHold(timeoutMs, lease);
    // The held commits still need another standby's acknowledgement once the silent one is dropped: a hold as long as
    // the RTO already misses it.
    const waiting = topology.dataClasses.filter((c) => !commitAllowsLoss(c.commit) && c.rtoMs <= hold.crashMs);
    if (waiting.length === 0) return [];
    const spec = `${sync.method.toUpperCase()} ${sync.count} (${sync.names.join(", ")})`;
    const by = hold.byMemberKey
      ? `until the failover manager drops it when its member key expires (ttl ${formatMs(lease!.ttlMs)}, then the leader's next loop within ${formatMs(lease!.loopWaitMs)})`
      : lease !== null
        ? `until wal_sender_timeout (${formatMs(timeoutMs)}) passes, which the failover manager acts on at the leader's next loop`
        : `until its WAL sender times out (wal_sender_timeout ${formatMs(timeoutMs)})`;
    const partition = lease !== null && hold.partitionMs > hold.crashMs ? `; one cut off by a partition that still reaches the DCS keeps its key, up to ${formatMs(hold.partitionMs)}` : "";
    const rtos = listWords(waiting.map((c) => `${c.name} (${formatMs(c.rtoMs)})`));
    const message =
      `${spec} waits for a standby that may go silent: a crashed one sends no connection reset, and every commit waits for it ${by}, ` +
      `up to ${formatMs(hold.crashMs)}${partition}; that is not within the RTO of ${rtos}`;
    return [{ path: ["replication", "synchronous", "standbys"], message }];
  },
};
