// R + W > N makes every read quorum overlap every write quorum in at least one
// replica, so a read sees the latest acknowledged write. Without the overlap a
// read can be answered entirely by replicas the write never reached.
import { modeIs } from "../design.js";
import type { Rule } from "../types.js";
import { classQuorums } from "./quorum.js";

export const quorumNotStrong: Rule = {
  id: "quorum-not-strong",
  severity: "error",
  description: "A class that needs strong (or read-your-writes) reads in a leaderless store must have R + W > N.",
  hint: "Choose R + W > N (a majority each way, say) so every read overlaps the latest write.",
  docs: {
    why:
      "R + W > N makes every read quorum overlap every write quorum in at least one replica, so a read sees the latest acknowledged write. " +
      "Without the overlap a read can be answered entirely by replicas the write never reached, and a class that needs strong or read-your-writes reads gets stale data.",
    fix:
      "Choose R + W > N so that every read set overlaps every write set: " +
      "R = W = ⌊N/2⌋+1 (a quorum both ways), or R = 1 with W = N for fast reads at the cost of write availability. " +
      "Set `r` and `w` on one data class to change only that class.",
    example: {
      bad: [
        "replication: { mode: leaderless, n: 3, w: 1, r: 1 }",
        "data_classes:",
        "  carts: { rpo: 0, rto: 1m, consistency: strong }",
      ],
      good: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2 }",
        "data_classes:",
        "  carts: { rpo: 0, rto: 1m, consistency: strong }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leaderless"),
  check({ topology }) {
    const sloppy = topology.replication.mode === "leaderless" && topology.replication.sloppyQuorum;
    const quorums = classQuorums(topology).filter((q) => q.dataClass.consistency !== "eventual");
    // A sloppy quorum's stand-ins answer reads while replicas are down, so R + W > N no longer promises the overlap (Dynamo §4.6).
    const sloppyHits = sloppy
      ? quorums
          .filter((q) => q.r + q.w > q.n)
          .map((q) => ({
            path: ["data_classes", q.dataClass.name, "consistency"],
            message: `${q.dataClass.name} needs ${q.dataClass.consistency} reads, but the quorum is sloppy: while replicas are down, stand-ins that lack earlier writes answer reads and take writes, so R + W = ${q.r + q.w} > N = ${q.n} no longer means a read sees the latest write`,
            hint: "Use a strict quorum (sloppy_quorum: false) for this class's store, or accept eventual reads.",
            details: `A sloppy quorum keeps writes available by letting healthy nodes outside a key's N replicas stand in and keep hints; reads can then be answered from stand-ins and from replicas the hints have not reached. For ${q.dataClass.consistency} reads, keep the quorum strict (sloppy_quorum: false), at the cost of failing requests when too few replicas are up.`,
          }))
      : [];
    return [...sloppyHits, ...quorums
      .filter((q) => q.r + q.w <= q.n)
      .map((q) => {
        const c = q.dataClass;
        // A leaderless topology always has its quorum majority derived.
        const majority = topology.derived.quorumMajority!;
        const path = c.w !== null ? q.wPath : c.r !== null ? q.rPath : ["data_classes", c.name, "consistency"];
        return {
          path,
          message: `${c.name} needs ${c.consistency} reads, but R + W = ${q.r} + ${q.w} = ${q.r + q.w} is not more than N = ${q.n}: a read quorum can miss every replica the latest write reached, and return stale data`,
          hint: `Make R + W > ${q.n}, e.g. R = W = ${majority} (a majority each way).`,
          details: `Make R + W > ${q.n}: for example R = ${majority}, W = ${majority} (a majority each way; set them on data_classes.${c.name} to change only this class), or R = 1, W = ${q.n} for fast reads with fragile writes.`,
        };
      })];
  },
};
