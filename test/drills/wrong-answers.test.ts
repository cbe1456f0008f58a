// Wrong answers written with the right words: a denial, roles swapped, a
// contradiction of a stated fact, a wrong number. Each must earn nothing for
// the idea it gets wrong, while the same idea in many right wordings still
// earns it (found by a review of the grader).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gradeText } from "../../src/drills/text/grade.js";
import { catalog } from "./helpers.js";

function graded(id: string, answer: string) {
  const d = catalog().byId.get(id);
  assert.ok(d && d.kind === "text", id);
  return gradeText(d.rubric, answer);
}

function concept(id: string, conceptId: string, answer: string) {
  const found = graded(id, answer).concepts.find((c) => c.concept.id === conceptId);
  assert.ok(found, `${id}: no concept ${conceptId}`);
  return found;
}

/** Every answer earns the concept (or, with `earns` false, none does). */
function expectConcept(id: string, conceptId: string, answers: readonly string[], earns: boolean): void {
  for (const answer of answers) {
    const v = concept(id, conceptId, answer);
    assert.equal(v.hit || v.named, earns, `${id} ${conceptId} ${earns ? "not credited" : "credited"} (${v.evidence}): ${answer}`);
  }
}

describe("a denial of the idea earns nothing, even where naming the danger counts", () => {
  test("failover-sequence: 'is not fenced', 'skip fencing', 'fencing is not needed' are not fencing", () => {
    expectConcept("failover-sequence", "fencing", [
      "The old leader is not fenced; we promote the sync replica.",
      "The old leader isn't fenced, then we promote the sync replica.",
      "Skip fencing and promote the sync replica.",
      "Skipping the fence, we promote the sync replica.",
      "Fencing is not needed; we promote the sync replica.",
      "Fencing isn't required here. Promote the sync replica.",
      "We don't fence the old primary. Promote the sync replica.",
      "We never fence it. Promote the sync replica.",
      "The old leader does not need to be fenced; promote the sync replica.",
    ], false);
  });

  test("failover-sequence: fencing stated, or its danger named, still counts", () => {
    expectConcept("failover-sequence", "fencing", [
      "Fence the old leader before promoting the sync replica.",
      "The old leader is fenced (STONITH) before anything is promoted.",
      "Without fencing you get split brain, so fence it before promoting the sync replica.",
      "If the old leader isn't fenced before the promotion, it keeps taking writes: split brain.",
      "Fencing is not optional: fence before you promote.",
      "Never promote a replica before fencing the old leader.",
      "Before promoting, we STONITH the old primary.",
      "First we revoke the old leader's lease, then promote.",
      "The old primary cannot accept writes any more; only then is the standby promoted.",
    ], true);
  });

  test("text-replication-vs-backups: 'replicas don't copy bad writes' is the opposite of the point", () => {
    expectConcept("text-replication-vs-backups", "copies-mistakes", [
      "Replicas don't copy bad writes.",
      "Replicas do not copy a bad write, so they are safe.",
      "Replication doesn't propagate mistakes to the replicas.",
    ], false);
    expectConcept("text-replication-vs-backups", "copies-mistakes", [
      "Replicas copy bad writes too.",
      "A bad DELETE reaches every replica within seconds.",
      "Replication faithfully propagates a DROP TABLE to all three replicas.",
      "Replicas don't protect you from a bad DELETE: they copy it within seconds.",
      "A fat-fingered migration is replicated everywhere at once.",
      "Replication copies everything, mistakes included.",
    ], true);
  });
});

describe("a known word is not a typo of another one", () => {
  test("failover-sequence: 'repoint' is not 'rejoin' mistyped, so it does not earn the rebuild idea", () => {
    expectConcept("failover-sequence", "rebuild", ["Repoint the replicas.", "The old leader will repoint.", "We repointed the replicas at the new leader.", "Repointing the replicas comes last."], false);
    expectConcept("failover-sequence", "resubscribe", ["Repoint the replicas at the new leader.", "We repointed the async replicas to the new leader."], true);
  });

  test("typos of the rubric's own words still count", () => {
    expectConcept("failover-sequence", "rebuild", ["The old leader rejoins after pg_rewind.", "The old leader rejions after a rewind.", "Rebiuld a replica in AZ-A."], true);
    expectConcept("failover-sequence", "promote-sync", ["Promte the synchronus replica in AZ-B."], true);
  });
});

describe("an idea said of its rival is not the idea (roles swapped)", () => {
  test("text-strict-sync-down: strict blocks, non-strict keeps writing — not the other way round", () => {
    const swapped = "Strict mode keeps writing; non-strict blocks commits.";
    expectConcept("text-strict-sync-down", "strict-blocks", [swapped, "Strict keeps accepting writes, non-strict blocks commits.", "Non-strict mode blocks writes until a standby returns."], false);
    expectConcept("text-strict-sync-down", "nonstrict-degrades", ["Strict degrades to async.", "In strict mode the leader falls back to async after a timeout.", "Strict mode switches to async commits."], false);
    expectConcept("text-strict-sync-down", "loss-window", ["Strict mode loses writes on one node."], false);
    assert.equal(graded("text-strict-sync-down", swapped).score, 0);
    assert.ok(graded("text-strict-sync-down", swapped).feedback.some((f) => f.status === "miss" && f.text.includes("“blocks commits” is said of “non-strict”, not strict mode")));
    expectConcept("text-strict-sync-down", "strict-blocks", [
      "Strict blocks commits, non-strict keeps writing in async mode.",
      "In strict mode commits block until a standby is back.",
      "Non-strict degrades to async while strict blocks writes.",
      "With strict on, writes halt: a write outage.",
      "Writes block until a standby returns.",
      "Strict: commits block. Non-strict: it degrades to async.",
    ], true);
    expectConcept("text-strict-sync-down", "nonstrict-degrades", [
      "Non-strict degrades to async after a timeout.",
      "A non-strict set-up falls back to asynchronous commits.",
      "MySQL semi-sync drops to async after 10 s.",
      "Strict blocks; non-strict degrades to async.",
      "Strict blocks commits while non strict switches to async.",
    ], true);
  });

  test("text-sync-tradeoff and failover-sequence: 'no loss' said of async replication is not RPO 0", () => {
    expectConcept("text-sync-tradeoff", "rpo-zero", ["Degrading to async loses nothing.", "Async replication gives RPO 0.", "Asynchronous replicas have every acknowledged write."], false);
    expectConcept("text-sync-tradeoff", "rpo-zero", ["A sync replica loses nothing, unlike async ones.", "It buys RPO 0 for acknowledged writes.", "Unlike async, a synchronous replica gives zero data loss.", "A failover to it loses nothing."], true);
    expectConcept("failover-sequence", "rpo-zero", ["Promote the AZ-C async replica: it has every acknowledged write, so RPO 0."], false);
    expectConcept("failover-sequence", "rpo-zero", ["Promote the AZ-B sync replica: it has every acknowledged write, so RPO 0.", "The synchronous standby holds all committed writes, RPO = 0."], true);
  });
});

describe("an answer that contradicts a stated fact is flagged", () => {
  test("'degrading to async loses nothing' is a misconception in both sync drills, and scores weak", () => {
    for (const [id, misconception] of [["text-sync-tradeoff", "async-safe"], ["text-strict-sync-down", "nonstrict-safe"]]) {
      for (const answer of ["Degrading to async loses nothing.", "Non-strict falls back to async, so no data is lost.", "It falls back to async and nothing is lost."]) {
        const g = graded(id, answer);
        assert.ok(g.misconceptions.some((m) => m.misconception.id === misconception), `${id}: ${answer}`);
        assert.equal(g.band, "weak", `${id}: ${g.score}: ${answer}`);
      }
      for (const answer of ["Strict never degrades to async, so nothing is lost.", "Non-strict degrades to async, and then a leader crash loses those writes."]) {
        assert.equal(graded(id, answer).misconceptions.length, 0, `${id}: ${answer}`);
      }
    }
  });
});

describe("untested backups are not known to restore", () => {
  test("text-untested-backup: 'untested backups always restore fine' is flagged and earns nothing", () => {
    for (const answer of ["Untested backups always restore fine.", "An untested backup will restore fine, so there is no need to test it.", "Restore drills are overkill; untested backups usually work.", "Unverified snapshots always work."]) {
      const g = graded("text-untested-backup", answer);
      assert.ok(g.misconceptions.some((m) => m.misconception.id === "untested-fine"), answer);
      assert.equal(concept("text-untested-backup", "may-not-work", answer).hit, false, answer);
      assert.equal(g.band, "weak", answer);
    }
  });

  test("the right claims about untested backups still count and are not flagged", () => {
    for (const answer of [
      "Untested backups may not restore: gaps in the WAL archive, corrupt files.",
      "An untested backup will fail to restore when you need it.",
      "An untested backup is a rumour.",
      "A drill is not a waste of time: an untested backup might be broken.",
      "It proves the backups are complete and actually restore.",
    ]) {
      const g = graded("text-untested-backup", answer);
      assert.equal(g.misconceptions.length, 0, answer);
      assert.equal(concept("text-untested-backup", "may-not-work", answer).hit, true, answer);
    }
  });
});

describe("a quantity with the wrong number or unit is not the idea", () => {
  const cases: Array<{ id: string; concept: string; wrong: string[]; right: string[] }> = [
    {
      id: "pitr-window-expired",
      concept: "snapshots",
      wrong: ["Nightly base backups reach back 3 days.", "We keep daily snapshots for 7 days, so restore one.", "The base backups go back 2 hours."],
      right: ["Nightly base backups reach back 30 days, so restore the one from before the delete.", "We retain daily snapshots for 30 days.", "PITR covers 7 days, but snapshots go back 30 days.", "Restore the newest snapshot taken before the delete."],
    },
    {
      id: "followup-bad-update",
      concept: "contain",
      wrong: ["Stop the job. Total time: 30-60 seconds.", "Pause the deploy; the whole recovery takes about 5 hours.", "Freeze writes; the estimate is 2 days."],
      right: ["Stop the job. Total: 30-60 minutes.", "Pause the deploy; the restore takes about 45 minutes.", "First stop the bleeding: disable the job that ran it.", "Freeze writes; the estimate is an hour or two."],
    },
    {
      id: "text-strict-sync-down",
      concept: "semisync",
      wrong: ["MySQL semi-sync falls back to async after 10 minutes.", "Semi-sync times out after 10 ms.", "Semisync waits 60 s, then degrades."],
      right: ["MySQL semi-sync falls back after 10 s.", "Semi-sync degrades to async after a 10 second timeout.", "Patroni is non-strict by default."],
    },
    {
      id: "text-sync-tradeoff",
      concept: "latency",
      wrong: ["It costs a round trip on every commit, about 1-5 s between AZs.", "Latency: 60-150 ms between AZs.", "Sync adds 100 ms between AZs.", "Between regions the round trip is 2 ms."],
      right: ["It costs a round trip on every commit (about 1–5 ms between AZs, 60–150 ms across regions).", "Sync adds about 1 ms latency in the same region.", "Every commit waits for the replica's acknowledgement.", "Write latency goes up by a round trip, 1-5 ms intra-region."],
    },
    {
      id: "followup-cross-region",
      concept: "consensus-cost",
      wrong: ["Spanner-style consensus costs 100 s per write.", "Raft across regions costs ~1 ms per write.", "Paxos commits take 5 ms across regions."],
      right: ["Paxos/Raft (Spanner, CockroachDB) and accept ~100 ms writes.", "Spanner-style consensus at ~100 ms per write.", "A cross-region Raft majority costs about 100 ms per commit."],
    },
    {
      id: "text-rpo-rto-classes",
      concept: "audit",
      wrong: ["audit_logs: RPO 5 hours, RTO 5 min.", "Audit log: RPO 1 day.", "audit_logs: RPO 30 min."],
      right: ["audit_logs: RPO about 1 minute, RTO ~5 min.", "Audit log: RPO ≤ 1 min, it is append-only.", "The audit trail tolerates an RPO of 1 min."],
    },
  ];
  for (const c of cases) {
    test(`${c.id}: ${c.concept} holds its number to the material's range`, () => {
      expectConcept(c.id, c.concept, c.wrong, false);
      for (const answer of c.wrong) {
        const v = concept(c.id, c.concept, answer);
        if (v.evidence !== null) assert.equal(v.lacking, "value", answer);
      }
      expectConcept(c.id, c.concept, c.right, true);
    });
  }
});

describe("a denial inside a formula-like pattern, or after it, is the opposite claim", () => {
  test("quorum-three-down: 'writes don't fail', 'reads never fail', 'R + W > N no longer holds' earn nothing", () => {
    expectConcept("quorum-three-down", "writes-fail", ["Writes don't fail: the two nodes left accept them.", "Writes never fail with a sloppy setup."], false);
    expectConcept("quorum-three-down", "reads-fail", ["Reads never fail since R=3.", "Reads don't fail."], false);
    expectConcept("quorum-three-down", "condition", ["R + W > N no longer holds, so consistency is lost.", "R + W > N does not hold anymore."], false);
  });

  test("the right claims with the pattern's own negations still count", () => {
    expectConcept("quorum-three-down", "writes-fail", ["Writes cannot be accepted and reads can't be served.", "Writes will not go through.", "Writes are not possible.", "Writes fail, but reads don't time out.", "No to both."], true);
    expectConcept("quorum-three-down", "reads-fail", ["Reads fail too.", "Reads can't be served.", "Neither reads nor writes work."], true);
    expectConcept("quorum-three-down", "condition", ["R + W > N still holds (3 + 3 > 5).", "Even so, R + W > N holds: no quorum can form."], true);
  });
});

describe("more wrong answers with the right words (found by trying them)", () => {
  test("failover: fencing the new leader is not fencing the old one", () => {
    expectConcept("failover-sequence", "fencing", ["Fence the new leader before promoting it.", "The promoted replica is fenced first, then promoted."], false);
    expectConcept("followup-failover-timeline", "fencing", ["The new primary is fenced before the promotion."], false);
    expectConcept("failover-sequence", "fencing", ["Fence the old leader before promoting the AZ-B replica.", "STONITH it before promoting the replica.", "The AZ-A leader is fenced before the new leader is promoted."], true);
  });

  test("followup-replica-lag: keeping the replica in the read pool is not taking it out", () => {
    expectConcept("followup-replica-lag", "route-away", ["Keep the lagging replica in the read pool and add more traffic to it.", "Leave it in the read pool."], false);
    expectConcept("followup-replica-lag", "route-away", ["Take it out of rotation right away.", "Pull it from the read pool.", "Remove it from the load balancer pool so reads go elsewhere.", "Send fresh reads to the leader."], true);
  });

  test("text-multi-leader-lww: 'LWW merges both writes' is flagged and earns no merge credit", () => {
    for (const answer of ["LWW merges both concurrent writes, nothing is dropped.", "Last-write-wins keeps both updates.", "With LWW no data is lost."]) {
      const g = graded("text-multi-leader-lww", answer);
      assert.ok(g.misconceptions.some((m) => m.misconception.id === "lww-safe"), answer);
      assert.equal(g.band, "weak", answer);
    }
    expectConcept("text-multi-leader-lww", "crdt", ["Instead of LWW, use CRDTs that merge concurrent updates."], true);
    assert.equal(graded("text-multi-leader-lww", "LWW drops one write; CRDTs merge both instead.").misconceptions.length, 0);
  });

  test("text-cross-region-split-brain: a coordinator majority in one of the two regions is not a tiebreaker", () => {
    for (const answer of ["Put the etcd majority in us-east so the east side always wins.", "The coordinator lives in the primary region."]) {
      const g = graded("text-cross-region-split-brain", answer);
      assert.ok(g.misconceptions.some((m) => m.misconception.id === "majority-in-one-region"), answer);
      assert.equal(concept("text-cross-region-split-brain", "majority", answer).hit, false, answer);
    }
    for (const answer of ["Run etcd members in us-east, us-west and a third region as tiebreaker.", "A coordinator majority in a third region decides."]) {
      assert.equal(graded("text-cross-region-split-brain", answer).misconceptions.length, 0, answer);
      assert.equal(concept("text-cross-region-split-brain", "majority", answer).hit, true, answer);
    }
  });
});

describe("a correctly spelled word is not a typo of a rubric's word", () => {
  test("'state', 'scale' and 'style' are not 'stale'; 'leader' is not 'lease'; 'newer' is not 'never'", () => {
    expectConcept("text-load-balancer", "stale", ["Check the replica state before reading.", "The read pool has some style issues.", "Replicas help reads scale."], false);
    expectConcept("text-load-balancer", "stale", ["Replicas lag, so reads can be stale.", "A replica may be behind: stael reads."], true);
    for (const id of ["failover-sequence", "text-load-balancer", "followup-cross-region"]) {
      const d = catalog().byId.get(id);
      assert.ok(d && d.kind === "text");
      assert.equal(gradeText(d.rubric, d.model_answer).score, 1, id);
    }
  });
});

describe("the question's own numbers swapped are not the idea", () => {
  test("pitr-window-expired: 'the window is 9 days and the delete was 7 days ago' swaps the facts", () => {
    expectConcept("pitr-window-expired", "pitr-gone", ["The window is 9 days and the delete was 7 days ago.", "PITR covers 9 days; the rows were deleted 7 days ago.", "The retention is 9 days, the delete is 7 days old, so PITR can't reach it."], false);
    expectConcept("pitr-window-expired", "pitr-gone", [
      "The window is 7 days and the delete was 9 days ago, so PITR can't help.",
      "PITR covers 7 days but the rows were deleted 9 days ago.",
      "We're outside the 7 day pitr window; the delete is 9 days old.",
      "PITR is useless: 9 days ago is beyond the 7-day window.",
      "PITR cannot help: its window ends seven days back and the delete is nine days old. The nightly base backups reach back 30 days.",
    ], true);
  });
});

describe("claims that reverse a cause or a number of the material (found by trying them)", () => {
  test("text-detection-time: a shorter ttl does not make false failovers rarer, and detection is not 2 s", () => {
    for (const answer of ["Lower the ttl to make false failovers less likely.", "Shorter timeouts reduce false failovers.", "A tighter ttl avoids spurious failovers."]) {
      const g = graded("text-detection-time", answer);
      assert.ok(g.misconceptions.some((m) => m.misconception.id === "shorter-fewer-false"), answer);
      assert.equal(concept("text-detection-time", "false-positives", answer).hit, false, answer);
    }
    for (const answer of ["A shorter ttl means more false failovers, not fewer.", "The shorter the timeout, the more often a GC pause triggers a needless failover."]) {
      assert.equal(graded("text-detection-time", answer).misconceptions.length, 0, answer);
      assert.equal(concept("text-detection-time", "false-positives", answer).hit, true, answer);
    }
    expectConcept("text-detection-time", "numbers", ["With ttl 30 s and loop_wait 10 s detection takes 2 s.", "Detection takes 20 minutes by default."], false);
    expectConcept("text-detection-time", "numbers", ["With ttl 30 s and loop_wait 10 s detection takes 20-30 s.", "Tuned, detection takes 8-10 s."], true);
  });

  test("followup-replica-lag: lag alerts at minutes or hours are not the thresholds", () => {
    expectConcept("followup-replica-lag", "alerting", ["Alert on lag: warn at 30 minutes, page at 2 hours.", "Page at 1 hour of lag."], false);
    expectConcept("followup-replica-lag", "alerting", ["Alert on lag > 5s (warn) / 30s (page).", "Warn at 5 s of lag and page at 30 s.", "Alert on apply rate falling below commit rate."], true);
  });

  test("text-reconnect-storm: jitter spreads retries, it does not line them up", () => {
    const g = graded("text-reconnect-storm", "Add jitter so that all clients retry at the same moment.");
    assert.ok(g.misconceptions.some((m) => m.misconception.id === "jitter-syncs"));
    assert.equal(concept("text-reconnect-storm", "jitter", "Add jitter so that all clients retry at the same moment.").hit, false);
    for (const answer of ["Add jitter so that not all clients retry at the same moment.", "Jitter spreads the retries so they do not all arrive together."]) {
      assert.equal(graded("text-reconnect-storm", answer).misconceptions.length, 0, answer);
    }
  });

  test("followup-cross-region: 'losing the primary region loses nothing' is not losing recent writes", () => {
    expectConcept("followup-cross-region", "region-loss-rpo", ["Losing the primary region loses nothing because replication is async."], false);
    expectConcept("followup-cross-region", "region-loss-rpo", ["Losing the primary region loses the last few writes.", "A region loss has RPO > 0."], true);
  });
});

/** Every answer earns the concept as a claim (full credit, not only named). */
function expectHit(id: string, conceptId: string, answers: readonly string[]): void {
  for (const answer of answers) {
    const v = concept(id, conceptId, answer);
    assert.equal(v.hit, true, `${id} ${conceptId} not a claim (named ${v.named}, ${v.lacking}, ${v.evidence}): ${answer}`);
  }
}

describe("a judgement after a negation judges the idea, it does not deny it", () => {
  test("text-untested-backup: 'untested backups are not fine' is the idea", () => {
    expectHit("text-untested-backup", "may-not-work", ["Untested backups are not fine.", "An untested backup isn't safe.", "Untested backups are not reliable."]);
    expectConcept("text-untested-backup", "may-not-work", ["Untested backups always restore fine."], false);
  });
});

describe("a clause of result is a claim, however short", () => {
  test("failover-sequence: 'Move DNS so clients reconnect' states the endpoint step", () => {
    expectHit("failover-sequence", "endpoint", ["Move DNS so clients reconnect.", "Flip the VIP so apps reconnect."]);
    expectHit("followup-failover-timeline", "endpoint", ["Move DNS so clients reconnect."]);
  });
});

describe("a typo of a verb the grader knows is read as that verb", () => {
  test("failover-sequence: 'fense' is fence, even against a short prefix", () => {
    expectHit("failover-sequence", "fencing", ["Fense the old primary before promoting the sync replica.", "First fense the old leader, then promote AZ-B."]);
  });
});

describe("a number is read for the quantity its name stands next to", () => {
  test("text-sync-tradeoff: '100 ms latency in the same region' is an in-region number", () => {
    expectConcept("text-sync-tradeoff", "latency", ["Sync adds 100 ms latency in the same region.", "It adds 100 ms of latency within the same AZ."], false);
    expectConcept("text-sync-tradeoff", "latency", ["Sync adds 1 ms latency in the same region.", "It adds 100 ms of latency across regions."], true);
  });
});

describe("a number is read to the end of its name's phrase", () => {
  test("text-detection-time: a number at the end of its name's clause is read", () => {
    expectConcept("text-detection-time", "numbers", ["With ttl 30 s and loop_wait 10 s, Patroni notices that the leader has died after about 30 minutes."], false);
    expectConcept("text-detection-time", "numbers", ["With ttl 30 s and loop_wait 10 s, Patroni notices that the leader has died after about 20-30 s."], true);
  });
});

describe("a negation of the predicate reaches back over the mention's own phrase", () => {
  test("followup-replica-lag: 'long queries on the replica never block replay' is not the diagnosis", () => {
    expectConcept("followup-replica-lag", "diagnose", ["Long queries on the replica never block replay.", "Long queries on a replica don't hold up replay."], false);
    expectConcept("followup-replica-lag", "diagnose", ["Long queries on the replica can hold up replay.", "Check for long queries on the replica that block replay."], true);
  });
});

describe("more ideas said of the wrong side", () => {
  test("text-read-your-writes: the leader serving other users' reads, or every read, is not read-your-writes routing", () => {
    expectConcept("text-read-your-writes", "leader-for-own", ["The leader is only for other users' reads.", "Send every read to the leader."], false);
    expectHit("text-read-your-writes", "leader-for-own", ["Route the user's own reads to the leader for a few seconds after a write.", "Pin that session to the primary for a short while."]);
  });
});

describe("an idea its rival is a poor fit for", () => {
  test("text-choose-shape: strong consistency said of leaderless is not leader/follower's, unless leaderless is a poor fit for it", () => {
    expectConcept("text-choose-shape", "leader-follower-wins", ["Leaderless gives strong consistency.", "Cassandra handles joins and transactions well.", "Postgres is a poor fit for strong consistency."], false);
    expectHit("text-choose-shape", "leader-follower-wins", ["Leaderless is a poor fit for strongly consistent queries.", "Cassandra is bad at joins and transactions.", "Postgres for transactions, joins and strong consistency."]);
  });
});

describe("a comparison stated the wrong way round", () => {
  test("followup-replica-lag: an apply rate above the commit rate does not make a replica fall behind for ever", () => {
    expectConcept("followup-replica-lag", "normal-or-not", ["apply rate above commit rate, never catches up", "The replica applies faster than the leader commits, so it can never catch up."], false);
    expectConcept("followup-replica-lag", "normal-or-not", ["apply rate below commit rate, never catches up", "The commit rate is above the apply rate, so it never catches up.", "Is it a burst it will catch up from, or is the apply rate permanently below the commit rate?"], true);
  });
});

describe("a pronoun carries the role of the sentence before", () => {
  test("failover-sequence: 'Promote the DR replica; it has every acknowledged write' is not RPO 0 of the sync replica", () => {
    expectConcept("failover-sequence", "rpo-zero", ["Promote the DR replica first since it's in another region; it has every acknowledged write, so RPO 0.", "We promote the async replica in AZ-C. It has all the committed data, so RPO = 0."], false);
    expectHit("failover-sequence", "rpo-zero", ["Promote the AZ-B sync replica. It has every acknowledged write, so RPO 0.", "Promote the synchronous standby; it holds every acknowledged write."]);
  });
});

describe("leaderless strengths said of leader/follower", () => {
  test("text-choose-shape: write throughput said of Postgres is not why you pick a leaderless store", () => {
    expectConcept("text-choose-shape", "leaderless-wins", ["Cassandra for banking transactions since it has no single point of failure; Postgres for huge write throughput.", "Postgres is always writable and scales writes best."], false);
    expectHit("text-choose-shape", "leaderless-wins", ["I'd go Dynamo-style when I need massive write throughput and always-on availability.", "Leaderless for huge write volume with eventual consistency.", "Postgres is a poor fit for huge write throughput; Cassandra handles it."]);
  });
});

describe("right answers in an interview candidate's words (found by trying them)", () => {
  test("followup-replica-lag: 'throttle the batch jobs' is mitigation", () => {
    expectHit("followup-replica-lag", "mitigate", ["Throttle the batch jobs on the leader.", "Kill those queries, throttle the batch writers."]);
  });

  test("text-load-balancer: 'the LB won't promote anyone' is the failover point, not a denial of it", () => {
    expectHit("text-load-balancer", "failover", ["If the primary dies the LB won't promote anyone.", "A load balancer doesn't promote a replica when the leader dies."]);
  });
});

describe("RPO 0 is not RPO > 0", () => {
  test("followup-cross-region: 'RPO 0 across regions' is not 'losing the primary region loses recent writes'", () => {
    expectConcept("followup-cross-region", "region-loss-rpo", ["Cross-region sync replication is basically free, about 1 ms, so RPO 0 across regions costs nothing.", "Async across regions still gives RPO zero."], false);
    expectHit("followup-cross-region", "region-loss-rpo", ["Losing the primary region loses the last few seconds of writes (RPO > 0).", "With async cross-region replication the RPO is a few seconds."]);
    assert.ok(graded("followup-cross-region", "Cross-region sync replication is basically free.").misconceptions.some((m) => m.misconception.id === "sync-cross-free"));
  });
});

describe("the feedback on a wrong number names the quantity in words", () => {
  test("text-sync-tradeoff: a range named by a regular expression reads as the answer's words", () => {
    const v = concept("text-sync-tradeoff", "latency", "Sync adds 100 ms latency in the same region.");
    assert.equal(v.expected, "in the same region 0.1–10 ms");
  });
});

describe("the failover's promotion is the replica's, and rebuilding the old leader is rebuilding", () => {
  test("followup-failover-timeline: promoting the old leader again is not the promotion of a failover", () => {
    expectConcept("followup-failover-timeline", "promote", [
      "The old one is promoted again.",
      "The old leader is promoted again when it comes back.",
      "The crashed primary gets promoted.",
      "The failed leader becomes leader again.",
    ], false);
    expectConcept("followup-failover-timeline", "promote", ["We promote the replica.", "Promote the standby in AZ-B.", "Promote it and open it for writes.", "The new leader is promoted and opened for writes."], true);
  });

  test("failover-sequence: rebuilding the old leader, or A, earns the rebuild idea", () => {
    expectConcept("failover-sequence", "rebuild", ["Rebuild the old leader.", "Then A is rebuilt.", "A gets rebuilt from a base backup.", "Rebuild A.", "The failed primary is reseeded as a replica."], true);
  });
});
