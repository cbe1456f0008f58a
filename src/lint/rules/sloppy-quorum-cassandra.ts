// Cassandra has no sloppy quorum. It keeps hints for down replicas (hinted
// handoff), but a hint counts toward the consistency level only at CL=ANY and
// is never read: a read or write at ONE, QUORUM or ALL needs that many of the
// key's own replicas, or it fails. A topology on the cassandra preset that sets
// sloppy_quorum: true is simulated as Dynamo or Riak behave, with stand-ins
// acknowledging writes and answering reads, so it reports writes and reads
// going on that Cassandra would refuse.
import type { Rule } from "../types.js";

export const sloppyQuorumCassandra: Rule = {
  id: "sloppy-quorum-cassandra",
  severity: "warning",
  description: "sloppy_quorum: true on the cassandra preset simulates a behaviour Cassandra does not have.",
  hint: "Set sloppy_quorum: false to simulate Cassandra, or use preset: dynamo for a sloppy quorum.",
  docs: {
    why:
      "Cassandra keeps hints for replicas that are down, but counts a hint toward the consistency level only at CL=ANY and never reads one: " +
      "at ONE, QUORUM or ALL a request needs that many of the key's own replicas, or fails. " +
      "With sloppy_quorum: true the simulation lets healthy nodes outside the replica set acknowledge writes and answer reads, as Dynamo and Riak do, " +
      "so it shows a Cassandra cluster staying writable and readable where the real one would refuse requests.",
    fix:
      "Keep sloppy_quorum: false (the preset's default) to see what Cassandra does when too few replicas are up; " +
      "to study a sloppy quorum, use preset: dynamo.",
    example: {
      bad: ["preset: cassandra", "replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: true }"],
      good: ["preset: cassandra", "replication: { mode: leaderless, n: 3, w: 2, r: 2, sloppy_quorum: false }"],
    },
  },
  appliesTo: (t) => t.replication.mode === "leaderless" && t.preset === "cassandra",
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "leaderless" || topology.preset !== "cassandra" || !r.sloppyQuorum) return [];
    return [
      {
        path: ["replication", "sloppy_quorum"],
        message:
          "sloppy_quorum: true on the cassandra preset: Cassandra counts a hint toward the consistency level only at CL=ANY and never reads one, " +
          "so with too few of a key's replicas up its requests fail, where this simulation lets stand-ins take the writes and answer the reads",
      },
    ];
  },
};
