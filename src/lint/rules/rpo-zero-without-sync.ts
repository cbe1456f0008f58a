// RPO 0 means an acknowledged write survives the leader's death, which only
// holds if a second machine had the write before the client heard "ok".
import { commitAllowsLoss, listWords, modeIs, suggestedStandbys, zeroRpoClasses } from "../design.js";
import { implicitWriteConcernIsOne } from "../../model/resolve.js";
import type { Rule, RuleHit } from "../types.js";

const HINT_ASYNC =
  "Add a synchronous standby in another zone of the leader's region (replication.synchronous: { standbys: \"ANY 1 (b, c)\", commit: on, strict: true }). " +
  "Each write then pays one in-region round trip (about a millisecond) and a failover to that standby loses nothing; keep the asynchronous replicas for read scaling and disaster recovery.";

export const rpoZeroWithoutSync: Rule = {
  id: "rpo-zero-without-sync",
  severity: "error",
  description: "A data class with RPO 0 must not be acknowledged before a second node has the write: no asynchronous-only replication, no commit level off/local, no W = 1.",
  hint: "Add a synchronous standby in another zone of the leader's region (commit: on, strict: true).",
  docs: {
    why:
      "RPO 0 promises that an acknowledged write survives the leader's death. " +
      "That only holds if a second machine had the write before the client heard \"ok\". " +
      "With asynchronous replication, a commit level of `off` or `local`, or W = 1 in a leaderless store, the leader (or the one node) acknowledges first and ships later, so a crash loses the writes still in flight — and a failover makes the loss permanent.",
    fix:
      "Add a synchronous standby in another zone of the leader's region (`replication.synchronous: { standbys: \"ANY 1 (b, c)\", commit: on, strict: " +
      "true }`). Each write then pays one in-region round trip (about a millisecond) and a failover to that standby loses nothing; " +
      "keep the asynchronous replicas for read scaling and disaster recovery. A class that commits `off` or `local` needs `commit: " +
      "on` (or `remote_apply`); a leaderless class needs W of at least 2, usually a majority.",
    example: {
      bad: [
        "replication:",
        "  mode: leader-follower          # asynchronous replicas only",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
      good: [
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", commit: on, strict: true }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower", "leaderless", "multi-leader"),
  check({ topology }) {
    const replication = topology.replication;
    const hits: RuleHit[] = [];
    for (const c of zeroRpoClasses(topology)) {
      const path = ["data_classes", c.name, "rpo"];
      if (replication.mode === "leader-follower") {
        // A shared quorum volume (Aurora) holds every flushed write on several machines before the commit returns.
        const shared = topology.derived.system.sharedStorage;
        if (replication.sync === null && !shared && topology.arbiters.length > 0) {
          // MongoDB 5.0+: with arbiters and no more data-bearing voters than a majority, the implicit write concern is w:1.
          const voters = topology.nodes.length + topology.arbiters.length;
          hits.push({
            path,
            message:
              `${c.name} needs RPO 0, but with the arbiter${topology.arbiters.length === 1 ? "" : "s"} ${listWords(topology.arbiters.map((a) => a.name))} the replica set's implicit write concern is w:1: ` +
              `${topology.nodes.length} data-bearing of ${voters} voting members is no more than the ${topology.derived.majority} a majority needs, ` +
              "so the primary acknowledges a write before any secondary has it, and a failover rolls back the writes still in flight",
            hint: replaceArbitersHint(topology.nodes.length, topology.arbiters.length),
            details:
              "Replace each arbiter with a data-bearing secondary (a primary and two secondaries rather than primary, secondary, arbiter): w: \"majority\" is then the default, and it survives one member down. " +
              "Asking for w: \"majority\" with the arbiter kept (synchronous.standbys naming the secondary) makes every write wait whenever that one secondary is down, and the arbiter cannot stand in.",
          });
        } else if (replication.sync === null && !shared) {
          const names = suggestedStandbys(topology);
          hits.push({
            path,
            message: `${c.name} needs RPO 0, but replication is asynchronous (no synchronous standby): the leader acknowledges a write before any replica has it, so a leader crash loses the writes still in flight`,
            hint: names.length > 0 ? `Add a synchronous standby: standbys: "ANY 1 (${names.join(", ")})", commit: on, strict: true.` : rpoZeroWithoutSync.hint,
            details: names.length > 0 ? HINT_ASYNC.replace("ANY 1 (b, c)", `ANY 1 (${names.join(", ")})`) : HINT_ASYNC,
          });
        } else if (commitAllowsLoss(c.commit) && !(shared && c.commit === "local")) {
          const before = c.commit === "off" ? "before even its own disk has flushed it" : "after its own flush, before any standby has it";
          hits.push({
            path,
            message: `${c.name} needs RPO 0, but its commit level is "${c.commit}": the leader acknowledges ${before}, so a failover can lose acknowledged writes`,
            hint: `Use commit: on (or remote_apply) for ${c.name}; off and local allow loss.`,
            details: `Use commit: on (the standby has flushed the write) or remote_apply (and replayed it) for ${c.name}; "off" and "local" are for data you can rebuild or afford to lose.`,
          });
        }
      } else if (replication.mode === "leaderless") {
        const w = c.w ?? replication.w;
        if (w === 1) {
          // A leaderless topology always has its quorum majority derived.
          const majority = topology.derived.quorumMajority!;
          hits.push({
            path,
            message: `${c.name} needs RPO 0, but W = 1: a write is acknowledged once one of its N = ${replication.n} replicas has it, and losing that node loses the write`,
            hint: `Raise W to a majority (W = ${majority} for N = ${replication.n}).`,
            details: `Raise W to at least 2 (a majority, W = ${majority} for N = ${replication.n}) so every acknowledged write is on more than one node; keep R + W > N if reads must see it.`,
          });
        }
      } else if (replication.mode === "multi-leader") {
        // Whatever resolves conflicts, each leader acknowledges on its own and ships to the others later.
        hits.push({
          path,
          message: `${c.name} needs RPO 0, but the leaders in ${replication.leaders.join(", ")} replicate to each other asynchronously: a leader acknowledges a write before another region has it, so losing its region loses the writes still in flight`,
          hint: `Keep ${c.name} on single-leader replication with a synchronous standby in another zone, or accept an RPO above 0.`,
          details: `Multi-leader replication is asynchronous between leaders whatever the conflict policy (lww, crdt, app) or routing: no commit waits for another region. Put ${c.name} on a leader/follower design with a synchronous standby (or a consensus group), or give it an RPO above 0.`,
        });
      }
      // Consensus commits on a majority.
    }
    return hits;
  },
};

/**
 * How many arbiters must become data-bearing secondaries for w: majority to be the default again: the data-bearing
 * members must outnumber a majority of the voters, whose count does not change. One is not always enough: a
 * primary, a secondary and two arbiters needs both replaced (three data-bearing of four voters is still w: 1).
 */
export function replaceArbitersHint(dataBearing: number, arbiters: number): string {
  let k = 1;
  while (k < arbiters && implicitWriteConcernIsOne(dataBearing + k, arbiters - k)) k++;
  const which = arbiters === 1 ? "the arbiter" : k === arbiters ? (arbiters === 2 ? "both arbiters" : `all ${arbiters} arbiters`) : k === 1 ? "one of the arbiters" : `${k} of the ${arbiters} arbiters`;
  return `Replace ${which} with ${k === 1 ? "a secondary that holds" : "secondaries that hold"} data, so w: majority is the default.`;
}
