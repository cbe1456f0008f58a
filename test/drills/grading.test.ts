// Grading, kind by kind: the free-text matcher's pieces (tokens, stems,
// typos, negation, caps) on small hand-made rubrics, and the exact kinds
// (single, multiple, numeric, ordering) on their scoring rules.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UsageError } from "../../src/model/diagnostics.js";
import { displayOrder, gradeMultiple, gradeNumeric, gradeOrdering, gradeSingle, longestCommonSubsequence, parseNumber, parseOption, parseOptions, parseOrdering } from "../../src/drills/exact.js";
import { gradeAnswer } from "../../src/drills/grade.js";
import { findDrill } from "../../src/drills/catalog.js";
import { rubricSchema } from "../../src/drills/schema.js";
import { compilePattern, findMatches } from "../../src/drills/text/match.js";
import { gradeText } from "../../src/drills/text/grade.js";
import { stem, tokenize } from "../../src/drills/text/tokens.js";
import { catalog } from "./helpers.js";

const rubric = (input: unknown) => rubricSchema.parse(input);
const matches = (pattern: string, answer: string) => findMatches(compilePattern(pattern), tokenize(answer));
const hit = (pattern: string, answer: string) => matches(pattern, answer).some((m) => !m.negated);

describe("free text: tokens and stems", () => {
  test("word forms share a stem", () => {
    assert.equal(stem("fencing"), stem("fenced"));
    assert.equal(stem("fence"), stem("fences"));
    assert.equal(stem("promoted"), stem("promotion"));
    assert.equal(stem("lagging"), stem("lag"));
    assert.equal(stem("writes"), stem("write"));
    assert.equal(stem("loss"), "loss");
  });

  test("apostrophes, digits and clauses", () => {
    const { tokens } = tokenize("Don't promote it; RTO<30s, ok");
    assert.deepEqual(tokens.map((t) => t.raw), ["dont", "promote", "it", "rto", "30", "s", "ok"]);
    assert.ok(tokens[3].clause > tokens[2].clause, "a semicolon starts a new clause");
  });
});

describe("free text: patterns", () => {
  test("a bag of terms matches in any order within a window", () => {
    assert.ok(hit("promot* sync*", "the synchronous standby gets promoted"));
    assert.ok(hit("promot* sync*", "promote the sync replica"));
    assert.ok(!hit("promot* sync*", "promote the replica. Much later, after lunch, a long story about sync replication follows"));
  });

  test("alternatives, prefixes and typos", () => {
    assert.ok(hit("fenc*|stonith", "STONITH the node"));
    assert.ok(hit("replica|standby", "the standbys"), "stems compare plural and singular");
    assert.ok(hit("synchronous", "the synchronus replica"), "one typo in a long word");
    assert.ok(hit("heartbeat", "hearbteat"), "a transposition counts as one edit");
    assert.ok(!hit("sync", "async"), "short words need an exact stem");
    assert.ok(hit("promot*", "promte the replica"), "a dropped letter inside a prefix");
    assert.ok(!hit("replace", "the replica"), "one letter's typo allowance does not turn replica into replace");
  });

  test("each term of a bag needs a word of its own", () => {
    assert.ok(!hit("new|replica replica*", "the replica"));
    assert.ok(hit("new|replica replica*", "a new replica"));
  });

  test("regular expressions for formulas", () => {
    for (const text of ["R+W>N", "r + w > n holds", "W + R > N"]) assert.ok(hit("/\\b[rw]\\s*\\+\\s*[rw]\\s*>\\s*n\\b/", text), text);
  });

  test("a nearby negation cancels a mention; a new clause ends its reach", () => {
    assert.ok(!hit("load balancer|lb", "no load balancer in front"));
    assert.ok(!hit("load balancer|lb", "I wouldn't put the DB behind a load balancer"));
    assert.ok(!hit("replica", "a replica won't help"), "a negation just after counts too");
    assert.ok(hit("leader", "no load balancer, writes go to the leader"));
    assert.ok(hit("sync replica", "not only a sync replica but also backups"), "“not only” does not negate");
    assert.ok(hit("rebuild*", "if it can't keep up I'd rebuild it"), "a new subject ends the negation's reach");
    assert.ok(hit("sync* promot*", "it can no longer write the sync standby gets promoted"), "a cue that negated another verb does not reach a passive that has its own");
    assert.ok(!hit("sync* promot*", "no sync standby gets promoted"));
    assert.ok(!hit("promot*", "nothing gets promoted"));
    assert.ok(!hit("sync* promot*", "don't let the sync standby get promoted"), "“let” passes its negation on to the clause it governs");
  });
});

describe("free text: scoring", () => {
  const r = rubric({
    concepts: [
      { id: "a", label: "A", weight: 2, why: "w", patterns: ["alpha"] },
      { id: "b", label: "B", weight: 1, why: "w", patterns: ["bravo"] },
      { id: "c", label: "C", weight: 1, required: true, why: "w", patterns: ["charlie"] },
    ],
    misconceptions: [{ id: "m", label: "M", cap: 0.3, why: "w", patterns: ["/\\bmike is right\\b/"] }],
  });

  test("score is the weight found over the weight in total", () => {
    assert.equal(gradeText(r, "We need alpha. It comes with bravo. Then charlie follows it.").score, 1);
    assert.equal(gradeText(r, "It comes with bravo. Then charlie follows it.").score, 0.5);
    assert.equal(gradeText(r, "nothing relevant").band, "weak");
  });

  test("a missing required concept caps the score below strong", () => {
    const graded = gradeText(r, "We need alpha. It comes with bravo.");
    assert.equal(graded.score, 0.7);
    assert.equal(graded.band, "partial");
    assert.deepEqual(graded.missingRequired, ["c"]);
  });

  test("a misconception caps the score whatever else is said", () => {
    const graded = gradeText(r, "We need alpha. It comes with bravo. Then charlie follows it, and mike is right");
    assert.equal(graded.score, 0.3);
    assert.equal(graded.band, "weak");
    assert.deepEqual(graded.misconceptions.map((m) => m.misconception.id), ["m"]);
    assert.equal(gradeText(r, "We need alpha. It comes with bravo. Then charlie follows it, and I don't think mike is right").misconceptions.length, 0, "negated");
  });

  test("a misconception that voids a concept takes its credit back, and says why", () => {
    const voiding = rubric({
      concepts: [{ id: "a", label: "A", weight: 1, why: "w", patterns: ["alpha"] }, { id: "b", label: "B", weight: 1, why: "w", patterns: ["bravo"] }],
      misconceptions: [{ id: "m", label: "Mike is right", cap: 0.9, why: "w", voids: ["a"], patterns: ["/\\bmike is right\\b/"] }],
    });
    assert.equal(gradeText(voiding, "We need alpha. It comes with bravo.").score, 1);
    const graded = gradeText(voiding, "We need alpha. It comes with bravo, and mike is right.");
    assert.equal(graded.score, 0.5);
    const a = graded.concepts.find((c) => c.concept.id === "a")!;
    assert.equal(a.hit, false);
    assert.equal(a.voidedBy, "Mike is right");
    assert.ok(graded.feedback.some((f) => f.status === "miss" && /“alpha” does not count: mike is right/.test(f.text)));
  });

  test("concepts can ignore negation where mentioning the danger shows the idea", () => {
    const ignoring = rubric({ concepts: [{ id: "f", label: "F", negation: "ignore", why: "w", patterns: ["fenc*"] }] });
    assert.equal(gradeText(ignoring, "without fencing you get split brain").score, 1);
    const cancelling = rubric({ concepts: [{ id: "f", label: "F", why: "w", patterns: ["fenc*"] }] });
    assert.equal(gradeText(cancelling, "without fencing you get split brain").score, 0);
  });

  test("feedback names hits with evidence, then misses with the reason", () => {
    const graded = gradeText(r, "Alpha is first and charlie comes next");
    assert.deepEqual(graded.feedback.map((f) => f.status), ["hit", "hit", "miss"]);
    assert.match(graded.feedback[0].text, /“alpha”/);
    assert.equal(graded.feedback[2].why, "w");
  });

  test("the material's emphasis: fencing is required for failover; R + W > N weighs for quorum but the material's own short answer leaves it out", () => {
    const failover = catalog().byId.get("failover-sequence")!;
    const quorum = catalog().byId.get("quorum-three-down")!;
    assert.ok(failover.kind === "text" && failover.rubric.concepts.some((c) => c.id === "fencing" && c.required));
    assert.ok(quorum.kind === "text" && quorum.rubric.concepts.some((c) => c.id === "condition" && !c.required && c.weight >= 2));
    const thorough = "Patroni detects the dead leader, promotes the sync replica in AZ-B which has every acknowledged write (RPO 0), updates DNS so clients reconnect, the async replicas follow the new leader, we rebuild AZ-A; RTO under 30s.";
    assert.equal(gradeText(failover.rubric, thorough).band, "partial", "no fencing, no strong answer");
    assert.equal(gradeText(failover.rubric, `${thorough} Before promoting, the old leader is fenced (STONITH).`).band, "strong");
  });
});

describe("exact kinds", () => {
  const options = [
    { text: "Leader/follower", correct: false },
    { text: "Multi-leader", correct: true },
    { text: "Leaderless quorum", correct: false },
  ];

  test("single choice: by letter or text; right or wrong", () => {
    assert.equal(parseOption("b", options), 1);
    assert.equal(parseOption("(B)", options), 1);
    assert.equal(parseOption("multi-leader", options), 1);
    assert.equal(parseOption("Leaderless", options), 2, "a unique start of the text");
    assert.throws(() => parseOption("z", options), UsageError);
    assert.deepEqual(gradeSingle(options, 1), { score: 1, passed: true, hits: ["b"], misses: [], expected: "b) Multi-leader" });
    assert.equal(gradeSingle(options, 0).score, 0);
  });

  test("multiple choice: right minus wrong over right, passed only when exact", () => {
    const many = [
      { text: "one", correct: true },
      { text: "two", correct: true },
      { text: "three", correct: false },
      { text: "four", correct: true },
    ];
    assert.deepEqual(parseOptions("a,d", many), [0, 3]);
    assert.deepEqual(parseOptions("ad", many), [0, 3]);
    assert.deepEqual(parseOptions("a d b", many), [0, 1, 3]);
    const exact = gradeMultiple(many, [0, 1, 3]);
    assert.equal(exact.score, 1);
    assert.equal(exact.passed, true);
    const partial = gradeMultiple(many, [0, 2, 3]);
    assert.equal(partial.score, 0.333);
    assert.equal(partial.passed, false);
    assert.deepEqual(partial.misses, ["b", "c (not correct)"]);
    assert.equal(gradeMultiple(many, [2]).score, 0, "never below zero");
  });

  test("numeric: tolerance, units, percentages", () => {
    assert.equal(parseNumber("30", "s"), 30);
    assert.equal(parseNumber("1.5 min", "s"), 90);
    assert.equal(parseNumber("500ms", "s"), 0.5);
    assert.equal(parseNumber("~42", "min"), 42);
    assert.equal(parseNumber("30,000", "writes"), 30000);
    assert.equal(parseNumber("67%", undefined), 0.67);
    assert.throws(() => parseNumber("thirty", "s"), UsageError);
    assert.throws(() => parseNumber("3 parsecs", "s"), UsageError);
    assert.equal(gradeNumeric(29.5, 30, { absolute: 0.5 }, "s").passed, true);
    assert.equal(gradeNumeric(29.4, 30, { absolute: 0.5 }, "s").passed, false);
    assert.equal(gradeNumeric(110, 100, { relative: 0.1 }, null).passed, true);
    assert.equal(gradeNumeric(0.30000000000000004, 0.3, { absolute: 0 }, null).passed, true, "float noise is not an error");
  });

  test("numeric: a fraction where the drill asks for one, and the usual spellings of a time unit", () => {
    // The staleness drills ask for "a fraction between 0 and 1" and show 2/3 in their model answer.
    assert.equal(parseNumber("2/3", undefined), 2 / 3);
    assert.equal(parseNumber("1 / 4", null), 0.25);
    assert.equal(gradeNumeric(parseNumber("2/3", undefined), 0.6667, { absolute: 0.01 }, null).passed, true);
    assert.throws(() => parseNumber("1/0", undefined), UsageError);
    assert.equal(parseNumber("71 milliseconds", "ms"), 71);
    assert.equal(parseNumber("71 msec", "ms"), 71);
    assert.equal(parseNumber("1 hr", "min"), 60);
    assert.equal(parseNumber("2 hrs", "min"), 120);
    assert.equal(parseNumber("1 day", "h"), 24);
    assert.equal(parseNumber("~ 71 ms", "ms"), 71);
    assert.equal(parseNumber("≈ 71", "ms"), 71);
    assert.equal(parseNumber("about ~71", "ms"), 71);
    assert.throws(() => parseNumber("3 days", "writes"), UsageError, "a time is not a count");
  });

  test("ordering: stable shuffled letters, scored by the longest common subsequence", () => {
    const shown = displayOrder("some-drill", 5);
    assert.deepEqual(displayOrder("some-drill", 5), shown, "the same letters every run");
    assert.notDeepEqual(shown, [0, 1, 2, 3, 4], "never shown in the right order");
    assert.deepEqual(longestCommonSubsequence([1, 0, 2, 4, 3], [0, 1, 2, 3, 4]).length, 3);
    const steps = ["s0", "s1", "s2", "s3", "s4"];
    const letterOf = (step: number) => "abcde"[shown.indexOf(step)];
    const right = [0, 1, 2, 3, 4].map(letterOf).join(",");
    assert.deepEqual(parseOrdering(right, shown), [0, 1, 2, 3, 4]);
    assert.equal(gradeOrdering(steps, shown, [0, 1, 2, 3, 4]).score, 1);
    const swapped = gradeOrdering(steps, shown, [1, 0, 2, 3, 4]);
    assert.equal(swapped.score, 0.8, "one swapped pair costs one step");
    assert.equal(swapped.passed, false);
    assert.equal(swapped.misses.length, 1);
    assert.throws(() => parseOrdering("a,b", shown), UsageError, "every letter once");
    assert.throws(() => parseOrdering("a,a,b,c,d", shown), UsageError);
  });

  test("graded through the catalogue: the right answer passes, JSON-ready fields are filled", () => {
    const c = catalog();
    const single = gradeAnswer(findDrill(c, "sc-quorum-w2-r4"), "b");
    assert.equal(single.passed, true);
    assert.equal(single.kind, "single");
    const numeric = gradeAnswer(findDrill(c, "num-patroni-detection-worst"), "30s");
    assert.equal(numeric.passed, true);
    for (const [answer, passed] of [["30.5 s", true], ["30.2", true], ["29.5", false], ["31", false]] as const) {
      assert.equal(gradeAnswer(findDrill(c, "num-patroni-detection-worst"), answer).passed, passed, `${answer}: the ttl plus up to etcd's 0.5 s revoke tick`);
    }
    const order = findDrill(c, "ord-failover-steps");
    assert.ok(order.drill.kind === "ordering");
    const shown = displayOrder(order.drill.id, order.drill.steps.length);
    const answer = order.drill.steps.map((_, i) => "abcdefgh"[shown.indexOf(i)]).join(",");
    assert.equal(gradeAnswer(order, answer).score, 1);
    assert.ok(gradeAnswer(order, answer).modelAnswer.length > 0);
  });
});

describe("the teaching material's own short answer passes its quorum drill", () => {
  // A paraphrase of the material's reference answer, keeping what it says and what it leaves out (found by a
  // review: it never restates R + W > N, and was graded "partial, not passed" while the condition was required).
  test("N=5, W=3, R=3 with three nodes down: writes and reads block; sloppy quorum with hinted handoff relaxes it", () => {
    const answer =
      "No. W is 3 and only 2 nodes are up, so writes block until three are reachable again; reads with R=3 block as well. " +
      "That is what a strong quorum costs in availability. Some systems relax it with a sloppy quorum and hinted handoff: the writes are kept on other nodes " +
      "and replayed to their owners when those recover. Say whether your system offers that and whether you accept the consistency trade-off.";
    const grade = gradeAnswer(findDrill(catalog(), "quorum-three-down"), answer);
    assert.equal(grade.passed, true, `score ${grade.score}, missed ${grade.misses.join(", ")}`);
  });
});

describe("free text: a wrong number does not earn the concept that names the right one (found by a review)", () => {
  const text = (id: string) => {
    const d = catalog().byId.get(id);
    assert.ok(d && d.kind === "text");
    return d;
  };
  const verdict = (id: string, concept: string, answer: string) => gradeText(text(id).rubric, answer).concepts.find((c) => c.concept.id === concept)!;

  test("quorum-three-down: 3 + 3 > 6 and 3 + 3 = 5 are not R + W > N; 3 + 3 > 5 and 3 + 3 = 6 are", () => {
    for (const wrong of ["R + W: 3 + 3 > 6, so no quorum.", "Here 3 + 3 = 5, so no quorum."]) assert.equal(verdict("quorum-three-down", "condition", wrong).hit, false, wrong);
    for (const right of ["It still holds that 3 + 3 > 5, but no quorum forms.", "It still holds: 3 + 3 = 6, more than 5."]) assert.equal(verdict("quorum-three-down", "condition", right).hit, true, right);
    // The terse answer that passed on the wrong sum.
    const terse = gradeAnswer(findDrill(catalog(), "quorum-three-down"), "Writes fail and reads fail too: 3 + 3 > 6 so no quorum. Use a sloppy quorum with hinted handoff, or stay strict.");
    assert.equal(terse.passed, false);
  });

  test("text-detection-time: 300 s and 20-300 s are not Patroni's 20–30 s; 20-30s, 8–10 s and 18–20 s are", () => {
    for (const wrong of ["The lease is 300 s long.", "It takes 20-300 s to notice.", "It takes 307s to notice."]) assert.equal(verdict("text-detection-time", "numbers", wrong).hit, false, wrong);
    for (const right of ["Detection takes 20-30s by default.", "Tuned, it takes 8–10 s.", "On Patroni 3.2 it takes 18–20 s."]) assert.equal(verdict("text-detection-time", "numbers", right).hit, true, right);
  });

  test("text-rpo-rto-classes: an RTO of 300 s is not a short RTO for the money paths; 30 s and 10 seconds are", () => {
    for (const wrong of ["The ledger has an RTO of 300 s.", "ledger: RTO 900 seconds."]) assert.equal(verdict("text-rpo-rto-classes", "fast-rto", wrong).hit, false, wrong);
    for (const right of ["The ledger has an RTO of 30 s.", "ledger: RTO under 10 seconds."]) assert.equal(verdict("text-rpo-rto-classes", "fast-rto", right).hit, true, right);
  });

  // A concept that names the quantity ("the ttl", "RTO") with a number in the wrong unit or range is not the concept.
  test("text-detection-time: a ttl of 300 s or 30 ms is not Patroni's lease; 30 s, ttl=30 and a tuned 10 s are", () => {
    for (const wrong of ["The ttl lease is 300 s.", "Patroni's leader lock has ttl 30 ms renewed every loop_wait of 10 ms.", "The lease is renewed every loop_wait of 100 s."]) {
      const v = verdict("text-detection-time", "ttl-lease", wrong);
      assert.equal(v.hit || v.named, false, wrong);
      assert.equal(v.lacking, "value", wrong);
    }
    for (const right of ["The ttl lease is 30 s, renewed every loop_wait of 10 s.", "Patroni: ttl=30, loop_wait=10, so detection takes 20-30 s.", "Tuned: ttl 10 s / loop_wait 2 s.", "A 30 s ttl, renewed every loop_wait."]) {
      assert.equal(verdict("text-detection-time", "ttl-lease", right).hit, true, right);
    }
  });

  test("failover-sequence and its timeline: an RTO of 30 minutes is not one of 30 seconds; RTO ~15 s and < 30s are", () => {
    for (const wrong of ["RTO under 30 minutes.", "The RTO is 2 hours."]) assert.equal(verdict("failover-sequence", "rto", wrong).hit, false, wrong);
    for (const right of ["RPO 0, RTO ~15 s.", "RTO < 30s.", "The RTO is under 30 seconds."]) assert.equal(verdict("failover-sequence", "rto", right).hit, true, right);
    const answer = "Detect the failure, fence the old leader before promoting, promote the sync standby (RPO 0), repoint the connection string. RTO under 30 minutes.";
    assert.ok(gradeAnswer(findDrill(catalog(), "failover-sequence"), answer).misses.includes("rto"));
    assert.equal(verdict("followup-failover-timeline", "rto-number", "Detection 20 s, RTO 45 minutes.").hit, false);
    assert.equal(verdict("followup-failover-timeline", "detect", "Detection by heartbeat takes about 20 ms.").hit, false);
    assert.equal(verdict("followup-failover-timeline", "detect", "Detection by lease takes 20-30 s.").hit, true);
  });

  test("followup-cross-region: a cross-region round trip of 1 ms or 60-150 s is not 60–150 ms", () => {
    for (const wrong of ["A cross-region round trip is 1 ms.", "A cross-region round trip is 60-150 s."]) assert.equal(verdict("followup-cross-region", "rtt", wrong).hit, false, wrong);
    for (const right of ["A cross-region round trip is 60-150 ms.", "Cross-region RTT is ~100 ms on every commit."]) assert.equal(verdict("followup-cross-region", "rtt", right).hit, true, right);
  });
});

describe("free text: a negation between a concept's own words is the opposite claim (found by a review)", () => {
  const verdict = (id: string, concept: string, answer: string) => {
    const d = catalog().byId.get(id);
    assert.ok(d && d.kind === "text");
    return gradeText(d.rubric, answer).concepts.find((c) => c.concept.id === concept)!;
  };

  test("'does not copy', 'not the leader', 'not read-only', 'never block', 'no latency cost' do not earn the concept they deny", () => {
    const wrong: Array<[string, string, string]> = [
      ["followup-bad-update", "replication-copies", "Replication does not copy the damage to the replicas, so fail over."],
      ["text-read-your-writes", "leader-for-own", "Send the user's own reads to a replica, not the leader."],
      ["text-load-balancer", "writes-leader", "Writes can go to any replica; replicas are not read-only."],
      ["text-sync-tradeoff", "blocks", "Synchronous replication gives RPO > 0 and writes never block."],
      ["text-sync-tradeoff", "cost", "Sync replication has no latency cost and loses data on failover."],
    ];
    for (const [id, concept, answer] of wrong) assert.equal(verdict(id, concept, answer).hit, false, `${id}: ${answer}`);
  });

  test("the right claims still count, and a pattern's own negation word is not a cue", () => {
    const right: Array<[string, string, string]> = [
      ["followup-bad-update", "replication-copies", "Replication copies the damage to every replica within seconds, so failing over does not help."],
      ["text-read-your-writes", "leader-for-own", "Send the user's own reads to the leader for a while after a write."],
      ["text-load-balancer", "writes-leader", "Writes must go to the leader; replicas are read-only."],
      ["failover-sequence", "fencing", "Fence it first: the old leader cannot accept writes before anything is promoted."],
    ];
    for (const [id, concept, answer] of right) assert.equal(verdict(id, concept, answer).hit, true, `${id}: ${answer}`);
  });
});

describe("free text: every occurrence of a pattern's words is tried (found by a review)", () => {
  const verdict = (id: string, concept: string, answer: string) => {
    const d = catalog().byId.get(id);
    assert.ok(d && d.kind === "text");
    return gradeText(d.rubric, answer).concepts.find((c) => c.concept.id === concept)!;
  };

  test("a pair that starts one word after a false start is found: '(… connection string) and clients reconnect'", () => {
    const found = matches("client* reconnect*|connect*", "The endpoint moves (DNS or connection string) and clients reconnect to the new leader.");
    assert.ok(found.some((m) => m.excerpt === "clients reconnect"), found.map((m) => m.excerpt).join(" | "));
    const endpoint = verdict("failover-sequence", "endpoint", "The endpoint moves (DNS record, proxy, VIP or connection string) and clients reconnect to the new leader; writes open there.");
    assert.equal(endpoint.hit, true, String(endpoint.evidence));
    assert.equal(verdict("failover-sequence", "endpoint", drillModel("failover-sequence")).hit, true);
  });

  test("a pattern's words do not pair across sentences or lines", () => {
    assert.deepEqual(matches("cancel* quer*", "long queries\n- cancel").map((m) => m.excerpt), []);
    assert.deepEqual(matches("cancel* quer*", "long queries\n- cancel queries").map((m) => m.excerpt), ["cancel queries"]);
  });
});

function drillModel(id: string): string {
  const d = catalog().byId.get(id);
  assert.ok(d && d.kind === "text");
  return d.model_answer;
}

describe("free text: a short aside in brackets is not an item of a list (found by a review)", () => {
  const graded = (id: string, answer: string) => {
    const d = catalog().byId.get(id);
    assert.ok(d && d.kind === "text");
    return gradeText(d.rubric, answer);
  };

  test("'a connection pooler (pgbouncer) in front so clients …' is a claim about the pooler", () => {
    const answer = "Use exponential backoff with jitter, and a connection pooler (pgbouncer) in front so clients do not each open a server connection, warm pools and connection limits, and rate-limited accepts.";
    assert.equal(graded("text-reconnect-storm", answer).concepts.find((c) => c.concept.id === "pooler")!.hit, true);
    assert.equal(graded("text-reconnect-storm", drillModel("text-reconnect-storm")).score, 1);
  });

  test("a list of terms in brackets is still a list", () => {
    const stuffed = graded("failover-sequence", "You fail over properly (fencing, detection, promotion of the sync standby, DNS, rebuild, resubscribe).");
    assert.equal(stuffed.stuffed, true);
    assert.ok(stuffed.score <= 0.25, String(stuffed.score));
  });
});

describe("free text: a number in the sentence after a quantity's numberless mention is its number (found by a review)", () => {
  const rtoNumber = (answer: string) => {
    const d = catalog().byId.get("followup-failover-timeline");
    assert.ok(d && d.kind === "text");
    return gradeText(d.rubric, answer).concepts.find((c) => c.concept.id === "rto-number")!;
  };
  const lead = "Fence the old leader before promotion, promote the sync replica, switch DNS. ";

  test("'Total RTO: it follows detection. We measured about 20 s.' states the RTO in numbers", () => {
    assert.equal(rtoNumber(`${lead}Total RTO: it follows detection. We measured about 20 s.`).hit, true);
    assert.equal(rtoNumber(drillModel("followup-failover-timeline")).hit, true);
  });

  test("the number is held to the RTO's range there too, and a sentence with its own number keeps it", () => {
    const wrong = rtoNumber(`${lead}Total RTO: it follows detection. We measured about 45 minutes.`);
    assert.equal(wrong.hit, false);
    assert.equal(wrong.lacking, "value");
    assert.equal(rtoNumber(`${lead}The RTO matters for 3 teams. Lag was 20 s.`).hit, false);
  });
});

describe("free text: steps joined by arrows are statements, not a list of terms (found by a review)", () => {
  const graded = (answer: string) => gradeText(drill("failover-sequence").rubric, answer);

  test("each step between arrows is one statement, however many commas it holds", () => {
    const chain = graded("detect via heartbeats -> fence the old primary -> promote AZ-B, the sync standby, no data lost -> switch DNS -> reattach the replicas -> rebuild AZ-A. RTO < 30s.");
    assert.equal(chain.stuffed, false);
    assert.equal(chain.band, "strong", String(chain.score));
    assert.equal(chain.concepts.find((c) => c.concept.id === "rpo-zero")!.hit, true);
  });

  test("a chain of bare terms is still a list", () => {
    const terms = graded("heartbeats -> STONITH -> the sync standby -> DNS -> replicas -> rebuild -> RPO -> RTO");
    assert.equal(terms.stuffed, true);
    assert.ok(terms.score <= 0.25, String(terms.score));
  });
});

function drill(id: string) {
  const d = catalog().byId.get(id);
  assert.ok(d && d.kind === "text");
  return d;
}

describe("free text: a number after a greater-than is not that number (found by a review)", () => {
  test("text-sync-tradeoff: 'RPO > 0' and 'RPO greater than 0' are not RPO 0; 'RPO 0' and 'RPO = 0' are", () => {
    const d = catalog().byId.get("text-sync-tradeoff");
    assert.ok(d && d.kind === "text");
    const hitOf = (answer: string) => gradeText(d.rubric, answer).concepts.find((c) => c.concept.id === "rpo-zero")!.hit;
    for (const wrong of ["Synchronous replication gives RPO > 0 on failover.", "Synchronous replication gives an RPO greater than 0 on failover."]) assert.equal(hitOf(wrong), false, wrong);
    for (const right of ["Synchronous replication gives RPO 0 on failover.", "Synchronous replication gives RPO = 0 on failover."]) assert.equal(hitOf(right), true, right);
  });
});
