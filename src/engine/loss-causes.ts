// Why acknowledged writes did not survive a run, told apart by the facts the
// run recorded: each promotion says how many acknowledged writes of the old
// leader its new timeline lacks, and the facts before it say why the new
// leader lacked them (asynchronous replication, a synchronous leader that had
// fallen back to asynchronous commits, or a lagging replica promoted by
// policy); a crashed leader says which asynchronous commits it had not yet
// flushed; a lost region says what it took unreplicated; what is left was
// acknowledged by an unfenced old leader during a split brain or dropped by
// last-writer-wins. Numbers and names only: the report words them.
import type { AckedLoss, ArchiveHold } from "./recovery/types.js";
import type { TimelineEntry, Totals } from "./result.js";

interface LossContext {
  mode: string;
  /** Entries sorted by time. */
  timeline: readonly TimelineEntry[];
  totals: Pick<Totals, "writesLost" | "splitBrainMs" | "conflicts">;
  /**
   * What the WAL archive holds of the writes a promotion lost: those the old leader acknowledged on `timeline - 1`'s
   * parent beyond `forkLsn`, before `promotedAtMs`. Absent: not known (no archive to ask).
   */
  archived?: (promotion: { timeline: number; forkLsn: number; promotedAtMs: number; oldLeader: string }) => ArchiveHold | undefined;
}

export function ackedLossCauses(ctx: LossContext): AckedLoss[] {
  let budget = ctx.totals.writesLost;
  const losses: AckedLoss[] = [];
  const take = (n: number) => {
    const taken = Math.min(n, budget);
    budget -= taken;
    return taken;
  };
  const facts = factWalk(ctx.timeline, ctx.archived);
  for (const f of facts) {
    const lostWrites = take(f.lostWrites);
    if (lostWrites > 0) losses.push({ ...f, lostWrites });
  }
  if (budget > 0) losses.push(remainder(ctx, budget));
  return losses;
}

/** The losses the timeline attributes: one per promotion that lost writes, one per region that took writes with it. */
function factWalk(timeline: readonly TimelineEntry[], archived: LossContext["archived"]): AckedLoss[] {
  const losses: AckedLoss[] = [];
  const degraded = new Set<string>();
  const lostForGood = new Set<string>();
  let oldLeader = "";
  let laggingPromoted = "";
  for (const e of timeline) {
    if ("observed" in e) continue;
    switch (e.event) {
      case "degrade":
        degraded.add(e.node);
        break;
      case "sync-restored":
      case "writes-unblocked":
        degraded.delete(e.node);
        break;
      case "lose":
        if (e.forMs === null) for (const n of e.nodes) lostForGood.add(n);
        break;
      case "detect":
        oldLeader = e.node;
        break;
      case "promote-lagging":
        laggingPromoted = e.node;
        break;
      case "promote":
        if (e.lostAcked > 0) {
          // Writes of classes that commit locally were never promised to the standbys, whatever the rule.
          const local = Math.min(e.lostAcked, e.lostAckedLocal ?? 0);
          const held = archived?.({ timeline: e.timeline, forkLsn: e.forkLsn, promotedAtMs: e.atMs, oldLeader });
          const place = { oldLeader, newLeader: e.node, oldLeaderLost: lostForGood.has(oldLeader), oldLeaderRejoinedMs: rejoinedAfter(timeline, oldLeader, e.atMs) };
          // The archive's share of each part: none and all are exact; some of a promotion split in two parts is not known per part.
          const archive = (n: number): { archive?: ArchiveHold } => {
            if (held === undefined) return {};
            if (held.kind !== "held") return { archive: held };
            const exact = (k: number) => k === 0 || k >= e.lostAcked;
            if (exact(held.heldWrites) && exact(held.replay.reachableWrites))
              return { archive: { ...held, heldWrites: Math.min(n, held.heldWrites), replay: { ...held.replay, reachableWrites: Math.min(n, held.replay.reachableWrites) } } };
            return local > 0 && e.lostAcked > local ? {} : { archive: held };
          };
          if (local > 0) losses.push({ cause: "local-commit", lostWrites: local, ...place, ...archive(local) });
          const cause = degraded.has(oldLeader) ? "sync-fallback" : laggingPromoted === e.node ? "lagging-promoted" : "async-failover";
          if (e.lostAcked > local) losses.push({ cause, lostWrites: e.lostAcked - local, ...place, ...archive(e.lostAcked - local) });
        }
        laggingPromoted = "";
        degraded.delete(oldLeader);
        break;
      case "unreplicated":
        losses.push({ cause: "region-unreplicated", lostWrites: e.writes, node: e.node });
        break;
      case "crash":
        if ((e.lostUnflushed ?? 0) > 0) losses.push({ cause: "unflushed-crash", lostWrites: e.lostUnflushed ?? 0, node: e.node });
        break;
    }
  }
  return losses;
}

/**
 * How long after a promotion at `promotedAtMs` the old leader rejoined the new timeline within the run, discarding
 * what the new leader lacks (its rewind: pg_rewind, a MongoDB rollback), or null when the run ended first.
 */
function rejoinedAfter(timeline: readonly TimelineEntry[], oldLeader: string, promotedAtMs: number): number | null {
  const rewind = timeline.find((e) => !("observed" in e) && e.event === "rewind" && e.node === oldLeader && e.atMs >= promotedAtMs);
  return rewind === undefined ? null : rewind.atMs - promotedAtMs;
}

/** What the promotions and lost regions do not account for: a split brain's writes, last-writer-wins, or neither. */
function remainder(ctx: LossContext, lostWrites: number): AckedLoss {
  if (ctx.totals.splitBrainMs > 0) {
    const rewound = ctx.timeline.find((e) => !("observed" in e) && (e.event === "rewind" || e.event === "no-fence"));
    return { cause: "split-brain", lostWrites, oldLeader: rewound?.node ?? "", splitBrainMs: ctx.totals.splitBrainMs };
  }
  const lww = ctx.timeline.some((e) => !("observed" in e) && (e.event === "conflict" || e.event === "conflicts-surface") && e.policy === "lww");
  if (ctx.mode === "multi-leader" && lww) return { cause: "lww-conflict", lostWrites, between: "leaders", clockAhead: false };
  const drops = ctx.timeline.flatMap((e) => (!("observed" in e) && e.event === "lww-dropped" ? [e] : []));
  if (ctx.mode === "leaderless" && drops.length > 0) return { cause: "lww-conflict", lostWrites, between: "coordinators", clockAhead: drops.some((e) => !e.concurrent) };
  // A leader lost with its zone or region, and no promotion after: what no replica had received went with it.
  const lostLeader = ctx.timeline.find(
    (e) => !("observed" in e) && e.event === "crash" && e.cause.kind === "lost-with" && ctx.timeline.some((f) => !("observed" in f) && f.event === "fence" && f.node === e.node),
  );
  if (lostLeader !== undefined && !ctx.timeline.some((e) => !("observed" in e) && e.event === "promote" && e.atMs >= lostLeader.atMs)) {
    return { cause: "region-unreplicated", lostWrites, node: lostLeader.node };
  }
  return { cause: "unattributed", lostWrites };
}
