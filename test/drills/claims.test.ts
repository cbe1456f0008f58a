// Claims, not keywords: a concept is credited when the answer says something
// about it (in a clause, with the number or the order the idea needs), a
// bare list of the right words is capped well below a pass, and the
// misconceptions a weak answer shows are flagged. The stuffed answers
// (fixtures/stuffed.json) were written from each question's vocabulary, the
// way someone gaming the grader would, not from the rubrics' patterns.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { rubricSchema } from "../../src/drills/schema.js";
import { isClaim } from "../../src/drills/text/claims.js";
import { gradeText, type TextGrade } from "../../src/drills/text/grade.js";
import { tokenize } from "../../src/drills/text/tokens.js";
import { catalog, drill, MATERIAL_IDS, ROOT } from "./helpers.js";

const stuffed = JSON.parse(readFileSync(join(ROOT, "test/drills/fixtures/stuffed.json"), "utf8")) as Record<string, string[]>;

/** The ways to present a list of buzzwords as an answer. */
const SHAPES: Record<string, (words: string[]) => string> = {
  "one a line": (w) => w.join("\n"),
  "run together without punctuation": (w) => w.join(" "),
  bullets: (w) => w.map((x) => `- ${x}`).join("\n"),
  numbered: (w) => w.map((x, i) => `${i + 1}. ${x}`).join(" "),
  "joined with and": (w) => w.join(" and "),
  "commas, then and": (w) => `${w.slice(0, -1).join(", ")} and ${w.at(-1)}.`,
  "one verb in front": (w) => `You need ${w.join(" and ")}.`,
  arrows: (w) => w.join(" -> "),
  "articles in front": (w) => `The answer is ${w.map((x) => `the ${x}`).join(" and ")}.`,
};

function grade(id: string, answer: string): TextGrade {
  return gradeText(drill(id, "text").rubric, answer);
}

function verdict(graded: TextGrade, concept: string) {
  const found = graded.concepts.find((c) => c.concept.id === concept);
  assert.ok(found, `no concept ${concept}`);
  return found;
}

describe("keyword stuffing", () => {
  test("every material question has a stuffed answer of about twenty buzzwords", () => {
    assert.deepEqual(Object.keys(stuffed).sort(), [...MATERIAL_IDS].sort());
    for (const words of Object.values(stuffed)) assert.ok(words.length >= 20, words.join(", "));
  });

  for (const id of MATERIAL_IDS) {
    test(`${id}: a list of the right words scores below 40 %, in every shape, and says why`, () => {
      const scores = Object.entries(SHAPES).map(([shape, make]) => {
        const graded = grade(id, make(stuffed[id]));
        return { shape, score: graded.score, stuffed: graded.stuffed, warned: graded.feedback.some((f) => f.status === "warn" && /list of terms/.test(f.text)) };
      });
      for (const s of scores) {
        assert.ok(s.score < 0.4, `${s.shape}: ${s.score}`);
        assert.equal(s.stuffed, true, `${s.shape}: not detected as stuffing`);
        assert.equal(s.warned, true, `${s.shape}: no feedback saying it is a list`);
      }
    });
  }

  test("the same ideas written as claims pass (the model answers, every strong sample)", () => {
    for (const id of MATERIAL_IDS) {
      const d = drill(id, "text");
      for (const answer of [d.model_answer, ...(d.samples?.strong ?? [])]) {
        const graded = grade(id, answer);
        assert.equal(graded.stuffed, false, `${id}: ${answer.slice(0, 60)}`);
        assert.equal(graded.band, "strong", `${id}: ${graded.score}: ${answer.slice(0, 60)}`);
      }
    }
  });

  test("terse answers written as steps or notes are claims, not stuffing", () => {
    const terse: Array<[string, string]> = [
      ["failover-sequence", "- detect via heartbeats\n- fence old leader (STONITH)\n- promote sync replica in AZ-B (RPO 0)\n- update DNS\n- repoint async replicas\n- rebuild AZ-A\nRTO < 30s"],
      ["followup-replica-lag", "1. pull it from the read pool 2. check pg_stat_replication 3. kill long queries 4. rebuild if it never catches up 5. alert on lag"],
      ["pitr-window-expired", "- PITR can't help: the window is 7 days, the delete was 9 days ago\n- restore the newest daily snapshot from before the delete to a side cluster\n- pull out the deleted rows\n- merge them back into prod carefully (FKs)\n- extend the PITR window; keep logical dumps of critical tables"],
      ["followup-bad-update", "* stop the job that ran it\n* replicas have the NULLs too, failover won't help\n* PITR to just before the statement into a side instance\n* copy the email column back where updated_at is older\n* block UPDATE without WHERE, review migrations"],
    ];
    for (const [id, answer] of terse) {
      const graded = grade(id, answer);
      assert.equal(graded.stuffed, false, `${id}: ${answer.slice(0, 40)}`);
      assert.equal(graded.band, "strong", `${id}: ${graded.score}`);
    }
  });

  test("a short enumeration inside a sentence that makes a claim is not stuffing", () => {
    const graded = grade("followup-replica-lag", "Take it out of the read pool so fresh reads go to the leader, then check why it lags: CPU, disk, network, long queries blocking replay.");
    assert.equal(graded.stuffed, false);
    assert.equal(verdict(graded, "diagnose").hit, true);
  });
});

describe("claims and names", () => {
  const segments = (text: string) => {
    const t = tokenize(text);
    return t.segments.map((s) => ({ text: t.tokens.slice(s.first, s.last + 1).map((x) => x.raw).join(" "), claim: isClaim(s, t.tokens) }));
  };

  test("a clause that relates its words is a claim; a bare term is not", () => {
    assert.deepEqual(segments("fencing, the sync standby, promote the sync standby, RTO < 30s, ledger: RPO 0, it has every acked write"), [
      { text: "fencing", claim: false },
      { text: "the sync standby", claim: false },
      { text: "promote the sync standby", claim: true },
      { text: "rto 30 s", claim: true },
      { text: "ledger rpo 0", claim: true },
      { text: "it has every acked write", claim: true },
    ]);
  });

  test("a numbered or bulleted step that starts with its verb is a claim, typos forgiven; a step that is a name is not", () => {
    assert.deepEqual(segments("1. fense the old primary 2. detection 3. update DNS").map((x) => x.claim), [true, false, true]);
    assert.deepEqual(segments("- update DNS\n- writes fail\n- hinted handoff").map((x) => x.claim), [true, false, false]);
  });

  test("wrapped lines are one sentence; a line break before a list item is not", () => {
    const t = tokenize("The coordinator notices the leader is gone because its lease\nexpires, then it fences the old leader.\n- promote the sync replica");
    const sentences = new Set(t.tokens.map((x) => x.sentence));
    assert.equal(sentences.size, 2);
  });

  test("a named concept earns half its weight and says so", () => {
    const r = rubricSchema.parse({ concepts: [{ id: "a", label: "A", why: "w", patterns: ["alpha"] }, { id: "b", label: "B", why: "w", patterns: ["bravo"] }] });
    const graded = gradeText(r, "Alpha comes first. Bravo.");
    assert.equal(graded.score, 0.75);
    assert.equal(graded.concepts[1].named, true);
    assert.ok(graded.feedback.some((f) => f.status === "warn" && /only named/.test(f.text)));
  });
});

describe("qualifiers and relations", () => {
  const prose = "The coordinator detects the dead leader through missed heartbeats and fences the old leader so it cannot accept writes; then it promotes the replica with the highest LSN and switches DNS so clients reconnect. Split brain happens when fencing is skipped.";

  test("“RTO” without a number does not earn “RTO as a number”", () => {
    const without = grade("followup-failover-timeline", `${prose} We measure the RTO in drills.`);
    assert.equal(verdict(without, "rto-number").hit, false);
    assert.equal(verdict(without, "rto-number").lacking, "qualifier");
    assert.ok(without.feedback.some((f) => f.status === "miss" && /said without a number with its unit/.test(f.text)));
    const withNumber = grade("followup-failover-timeline", `${prose} The RTO is about 25 s end to end.`);
    assert.equal(verdict(withNumber, "rto-number").hit, true);
    assert.equal(verdict(grade("failover-sequence", `${prose} We measure the RTO.`), "rto").hit, false);
    assert.equal(verdict(grade("failover-sequence", `${prose} Failover takes under 30 s.`), "rto").hit, true);
  });

  test("“promote” does not earn “promotion can fail”; saying it fails does", () => {
    assert.equal(verdict(grade("followup-failover-timeline", prose), "promotion-fails").hit, false);
    assert.equal(verdict(grade("followup-failover-timeline", `${prose} The promotion itself can fail on a corrupt WAL, so we fall back to the next candidate.`), "promotion-fails").hit, true);
  });

  test("fencing counts only before the promotion", () => {
    const after = grade("failover-sequence", "The coordinator detects the dead leader via heartbeats. We promote the sync replica in AZ-B, which has every acknowledged write, then we fence the old leader with STONITH.");
    assert.equal(verdict(after, "fencing").hit, false);
    assert.equal(verdict(after, "fencing").lacking, "order");
    assert.ok(after.missingRequired.includes("fencing"));
    assert.ok(after.feedback.some((f) => /not said to come before the promotion/.test(f.text)));
    const before = grade("failover-sequence", "The coordinator detects the dead leader via heartbeats. We fence the old leader with STONITH, then promote the sync replica in AZ-B.");
    assert.equal(verdict(before, "fencing").hit, true);
    const saidLater = grade("failover-sequence", "We promote the sync replica in AZ-B, which has every acknowledged write. Before promoting it, the old leader is fenced with STONITH.");
    assert.equal(verdict(saidLater, "fencing").hit, true, "the order said in words counts wherever the sentence stands");
    const once = grade("failover-sequence", "Promote the sync replica in AZ-B only after the old leader is fenced.");
    assert.equal(verdict(once, "fencing").hit, true);
    const nothingFirst = grade("failover-sequence", "Nothing gets promoted before the old primary is fenced with STONITH. Then the AZ-B sync standby gets promoted.");
    assert.equal(verdict(nothingFirst, "fencing").hit, true, "a negated promotion is not a promotion that comes first");
  });
});

describe("failover-sequence: correct wordings earn each step, wrong ones do not", () => {
  const passive =
    "The etcd lease runs out, so Patroni knows the primary is gone. The old primary is fenced with STONITH so it can no longer write the AZ-B synchronous standby gets promoted, it holds every acknowledged write. The proxy/DNS flips to it and clients reconnect. A replica is rebuilt in AZ-A. The whole failover takes under 30 seconds.";

  test("a lease that runs out, an old primary fenced, a standby that gets promoted, a rebuilt replica: a pass", () => {
    const graded = grade("failover-sequence", passive);
    for (const id of ["detect", "fencing", "promote-sync", "rpo-zero", "rebuild", "rto"]) assert.equal(verdict(graded, id).hit, true, id);
    assert.equal(verdict(graded, "promote-sync").negatedOnly, false, "a passive promotion is not a negation");
    assert.equal(graded.band, "strong", String(graded.score));
  });

  test("detection in other words: the lease runs out, the coordinator knows the primary is gone", () => {
    for (const answer of ["The etcd lease runs out after the ttl.", "Patroni knows the primary is gone."]) {
      assert.equal(verdict(grade("failover-sequence", answer), "detect").hit, true, answer);
    }
  });

  test("naming the AZ-B standby is not rebuilding redundancy", () => {
    for (const answer of ["The standby in AZ-B takes over.", "The AZ-B synchronous standby gets promoted and the proxy flips to it."]) {
      const graded = grade("failover-sequence", answer);
      assert.equal(verdict(graded, "rebuild").hit || verdict(graded, "rebuild").named, false, answer);
      assert.equal(verdict(graded, "resubscribe").hit || verdict(graded, "resubscribe").named, false, answer);
    }
    for (const answer of ["Later we rebuild AZ-A as a replica.", "A new replica gets provisioned in AZ-A.", "The old primary rejoins after pg_rewind."]) {
      assert.equal(verdict(grade("failover-sequence", answer), "rebuild").hit, true, answer);
    }
  });
});

describe("misconceptions a weak answer shows", () => {
  const cases: Array<[string, string, string]> = [
    ["failover-sequence", "The sync replica in AZ-B takes over instantly since it has every acknowledged write, and DNS is updated so clients reconnect.", "instant"],
    ["followup-failover-timeline", "The leader dies, a replica is promoted instantly and the clients carry on.", "instant"],
    ["probe-highly-available", "A sync replica gives RPO 0 and failover happens instantly with RDS, so there is zero downtime.", "instant"],
    ["failover-sequence", "We promote whichever replica is closest, because the replicas have all the data anyway.", "replicas-all-data"],
    ["probe-highly-available", "We run three replicas; all the replicas have all the data, so we are covered.", "replicas-all-data"],
    ["failover-sequence", "Put the database behind a load balancer so it sends traffic to a healthy node when the leader dies.", "lb-reroutes"],
    ["probe-highly-available", "Several database replicas sit behind a load balancer.", "load-balancer"],
    ["followup-bad-update", "The DR replica still has the old emails, so we copy them back from it.", "replicas-kept-it"],
  ];
  for (const [id, answer, misconception] of cases) {
    test(`${id}: “${answer.slice(0, 50)}…” is flagged as ${misconception}`, () => {
      const graded = grade(id, answer);
      assert.ok(graded.misconceptions.some((m) => m.misconception.id === misconception), graded.misconceptions.map((m) => m.misconception.id).join(","));
      assert.notEqual(graded.band, "strong");
      assert.ok(graded.feedback.some((f) => f.status === "warn" && f.why), "with feedback saying why");
    });
  }

  test("a wrong claim in the right words earns nothing for those words", () => {
    const toDr = grade("failover-sequence", "When the leader dies we send all traffic to the async DR replica. No data is lost.");
    assert.deepEqual(toDr.misconceptions.map((m) => m.misconception.id), ["async-no-loss"]);
    assert.equal(verdict(toDr, "rpo-zero").hit || verdict(toDr, "rpo-zero").named, false, "“no data is lost” of the async DR replica is not RPO = 0");
    const synced = grade("failover-sequence", "Promote the sync standby in AZ-B, so no data is lost. The async DR replica then streams from it.");
    assert.deepEqual(synced.misconceptions, [], "the sync standby's RPO = 0 next to an async replica that follows");
    assert.equal(verdict(synced, "rpo-zero").hit, true);

    const wait = grade("followup-replica-lag", "Just wait, it will catch up.");
    assert.equal(verdict(wait, "normal-or-not").hit || verdict(wait, "normal-or-not").named, false, "asserting it catches up is not asking whether it does");
    assert.equal(verdict(grade("followup-replica-lag", "First check whether it is catching up after a write burst."), "normal-or-not").hit, true);

    const lastNight = grade("pitr-window-expired", "Restore last night's snapshot over production.");
    assert.deepEqual(lastNight.misconceptions.map((m) => m.misconception.id).sort(), ["newer-snapshot", "restore-over-prod"]);
    assert.equal(verdict(lastNight, "snapshots").hit || verdict(lastNight, "snapshots").named, false, "last night's snapshot is newer than the delete");
    assert.equal(lastNight.band, "weak");
    const older = grade("pitr-window-expired", "Restore the newest snapshot taken before the delete onto a side cluster, never over production.");
    assert.deepEqual(older.misconceptions, []);
    assert.equal(verdict(older, "snapshots").hit, true);
  });

  test("denying a misconception, or acting promptly, is not stating it", () => {
    for (const answer of ["Failover is never instant: detection alone takes seconds.", "I don't put the DB behind a general load balancer; writes go to the leader.", "Fence the old leader, then promote the sync replica immediately after fencing."]) {
      const graded = grade(answer.includes("balancer") ? "probe-highly-available" : "followup-failover-timeline", answer);
      assert.deepEqual(graded.misconceptions.map((m) => m.misconception.id), [], answer);
    }
  });

  test("every material question's rubric names at least two misconceptions", () => {
    for (const id of MATERIAL_IDS) assert.ok(drill(id, "text").rubric.misconceptions.length >= 2, id);
    assert.ok(catalog().drills.length > 0);
  });
});
