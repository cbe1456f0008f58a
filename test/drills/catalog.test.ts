// The drill content as a whole (ids, kinds, topics, counts, cross-checks of
// numeric answers against the project's own calculators) and the loader's
// errors for broken drill files: each names file:line:column.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { detectionRange, LEASE_REVOKE_TICK_MS } from "../../src/base/failover-timing.js";
import { InputError } from "../../src/model/diagnostics.js";
import { checkFacts, findDrill, loadCatalog } from "../../src/drills/catalog.js";
import { staleProbability } from "../../src/quorum/staleness.js";
import { TOPICS } from "../../src/drills/topics.js";
import { DRILL_KINDS } from "../../src/drills/types.js";
import { catalog, drill, MATERIAL_IDS } from "./helpers.js";

describe("drill content", () => {
  test("at least 40 drills, every kind and every topic represented", () => {
    const drills = catalog().drills;
    assert.ok(drills.length >= 40, `${drills.length} drills`);
    for (const kind of DRILL_KINDS) assert.ok(drills.some((d) => d.kind === kind), `no ${kind} drill`);
    for (const topic of TOPICS) assert.ok(drills.filter((d) => d.topic === topic).length >= 3, `topic ${topic} has fewer than 3 drills`);
  });

  test("the eight material questions are free-text drills with their fixed ids", () => {
    for (const id of MATERIAL_IDS) assert.equal(catalog().byId.get(id)?.kind, "text", id);
  });

  test("the material's sections each became drills", () => {
    const ids = new Set(catalog().byId.keys());
    for (const id of ["mc-grading-checklist", "ord-reveal", "mc-signature-phrases", "mc-cheat-sheet", "sc-shape-active-active", "sc-shape-oltp", "mc-sync-cons", "mc-async-pros", "mc-quorum-tradeoffs", "ord-failover-steps", "text-replication-vs-backups", "text-multi-leader-lww", "text-read-your-writes", "text-untested-backup"]) {
      assert.ok(ids.has(id), id);
    }
  });

  test("follow-up chains start from every material question", () => {
    for (const id of MATERIAL_IDS) assert.ok(catalog().byId.get(id)!.follow_ups.length > 0, id);
  });

  test("numeric answers agree with the timing model and the quorum calculator", () => {
    const lease = (ttlMs: number, loopWaitMs: number) => detectionRange({ kind: "lease", ttlMs, loopWaitMs, retryTimeoutMs: 0 });
    // The worst case is the ttl plus up to one of etcd's revoke ticks, which the engine models: any value in that range counts.
    const worst = drill("num-patroni-detection-worst", "numeric");
    assert.equal(worst.answer - ("absolute" in worst.tolerance ? worst.tolerance.absolute : NaN), lease(30_000, 10_000).maxMs / 1000);
    assert.equal(worst.answer + ("absolute" in worst.tolerance ? worst.tolerance.absolute : NaN), (lease(30_000, 10_000).maxMs + LEASE_REVOKE_TICK_MS) / 1000);
    assert.equal(drill("num-patroni-detection-tuned", "numeric").answer, lease(10_000, 2_000).minMs / 1000);
    const stale = drill("num-quorum-stale-n3", "numeric");
    assert.ok("absolute" in stale.tolerance && Math.abs(stale.answer - staleProbability(3, 1, 1).value) <= stale.tolerance.absolute);
    assert.equal(drill("num-restore-time", "numeric").answer.toFixed(2), ((500 * 1024) / 200 / 60).toFixed(2));
  });

  test("a live measurement is named for what it measured: the tuned lease's 8.8–9.6 s is the RTO (kill -9 to the first write), not the detection time (found by a review)", () => {
    const answer = drill("num-patroni-detection-tuned", "numeric").model_answer.replace(/\s+/g, " ");
    const sentence = answer.split(/(?<=\.) /).find((s) => s.includes("8.8–9.6 s")) ?? "";
    assert.match(sentence, /kill -9 .* first write/, answer);
    assert.match(sentence, /\bRTO\b/, answer);
  });

  test("ids resolve, with a did-you-mean for typos, and generated drills take a seed", () => {
    assert.throws(() => findDrill(catalog(), "failover-sequense"), /did you mean "failover-sequence"/);
    assert.throws(() => findDrill(catalog(), "failover-sequence:3"), /not a generated drill/);
    assert.throws(() => findDrill(catalog(), "gen-rto-budget:x"), /seed/);
    assert.equal(findDrill(catalog(), "gen-rto-budget:12").instance?.seed, 12);
  });
});

describe("broken drill files", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function load(files: Record<string, string>): InputError {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-drills-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      loadCatalog(dir);
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      return error;
    }
    assert.fail("expected an InputError");
  }
  const header = "kind: drill\ntopic: quorum\ndrills:\n";
  const single = (id: string, extra = "") =>
    `  - id: ${id}\n    kind: single\n    title: T\n    prompt: P\n    model_answer: M\n    options:\n      - { text: a, correct: true }\n      - { text: b }\n${extra}`;

  test("an unknown key, with a did-you-mean and its position", () => {
    const error = load({ "a.yaml": `${header}${single("x")}    follow_up: [y]\n` });
    assert.match(error.message, /a\.yaml:12:5: unknown key "follow_up" — did you mean "follow_ups"\?/);
  });

  test("invalid YAML is reported with a position", () => {
    const error = load({ "a.yaml": `${header}  - id: x\n    title: [unclosed\n` });
    assert.match(error.diagnostics[0].message, /invalid YAML/);
    assert.ok(error.diagnostics[0].line > 0);
  });

  test("duplicate ids across files point at both", () => {
    const error = load({ "a.yaml": `${header}${single("same")}`, "b.yaml": `${header}${single("same")}` });
    assert.match(error.message, /b\.yaml:4:9: duplicate drill id "same" \(first defined at .*a\.yaml:4:9\)/);
  });

  test("an unknown follow-up, a single choice with two right options, a missing topic", () => {
    const twoRight = `  - id: two\n    kind: single\n    title: T\n    prompt: P\n    model_answer: M\n    options:\n      - { text: a, correct: true }\n      - { text: b, correct: true }\n`;
    const error = load({
      "a.yaml": `${header}${single("x", "    follow_ups: [nope]\n")}${twoRight}`,
      "b.yaml": `kind: drill\ndrills:\n${single("untagged")}`,
    });
    const messages = error.diagnostics.map((d) => d.message).join("\n");
    assert.match(messages, /unknown follow-up "nope"/);
    assert.match(messages, /exactly one option with "correct: true" \(found 2\)/);
    assert.match(messages, /drill "untagged" has no topic/);
  });

  test("a topic outside the nine, and a predict drill naming a scenario that does not exist", () => {
    const predict = `  - id: p\n    kind: predict\n    title: T\n    prompt: P\n    model_answer: M\n    scenario: no-such-scenario\n    field: totals.writesLost\n    answer: { form: yes-no, claim: { op: ">", value: 0 } }\n`;
    const error = load({ "a.yaml": `kind: drill\ntopic: quorums\ndrills:\n${predict}`, "b.yaml": `${header}${predict}` });
    const messages = error.diagnostics.map((d) => `${d.file.replace(/.*\//, "")}:${d.line}:${d.column} ${d.message}`).join("\n");
    assert.match(messages, /a\.yaml:2:8 "topic": expected one of .* — did you mean "quorum"\?/);
    assert.match(messages, /b\.yaml:9:15 no bundled scenario "no-such-scenario"/);
  });

  test("a predict drill's facts: an engine fact in the prompt is refused at load, an unknown fact when the text is read", () => {
    const predict = (prompt: string, model: string) =>
      `  - id: p\n    kind: predict\n    title: T\n    prompt: "${prompt}"\n    model_answer: "${model}"\n    scenario: leader-dies-in-az-a\n    field: totals.writesLost\n    answer: { form: yes-no, claim: { op: ">", value: 0 } }\n`;
    const error = load({ "a.yaml": `${header}${predict("{topology.sync} and {answer}", "{answer}")}` });
    assert.deepEqual(error.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`), ["7:13 {answer} comes from the engine's run, which happens after the question is asked; only model_answer may name it"]);

    const dir = mkdtempSync(join(tmpdir(), "repl-lab-drills-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.yaml"), `${header}${predict("{topology.snyc}", "{failover.fencng}, {answer}")}`);
    const loaded = loadCatalog(dir);
    assert.throws(() => loaded.byId.get("p")!.prompt, (e: unknown) => e instanceof InputError && /a\.yaml:7:13: unknown fact \{topology\.snyc\} for scenarios\/leader-dies-in-az-a\.yaml — did you mean "topology\.sync"\?/.test(e.message));
    const messages = checkFacts(loaded).map((d) => `${d.line}:${d.column} ${d.message}`);
    assert.equal(messages.length, 2, "{answer} is fine in the model answer");
    assert.match(messages[1], /^8:19 unknown fact \{failover\.fencng\}.* did you mean "failover\.fencing"\?/);
  });

  test("every bundled predict drill names only facts its scenario has", () => {
    assert.deepEqual(checkFacts(catalog()), []);
  });

  test("a predict drill's file facts are filled when read; the texts as written are kept", () => {
    const dir = mkdtempSync(join(tmpdir(), "repl-lab-drills-"));
    dirs.push(dir);
    const text = `${header}  - id: p\n    kind: predict\n    title: "Sync {topology.sync}"\n    prompt: "{scenario.file}: {failover.fencing}, {failover.detection}."\n    model_answer: "{answer}; {topology.sync.names} at {event.promote.after}"\n    scenario: leader-dies-in-az-a\n    field: totals.writesLost\n    answer: { form: yes-no, claim: { op: ">", value: 0 } }\n`;
    writeFileSync(join(dir, "a.yaml"), text);
    const p = loadCatalog(dir).byId.get("p")!;
    assert.equal(p.title, "Sync FIRST 1 (pg-b)");
    assert.equal(p.prompt.replace(/\s+/g, " "), "scenarios/leader-dies-in-az-a.yaml: lease fencing, a 10 s leader lease renewed every 2 s (loop_wait).");
    assert.equal(p.model_answer, "{answer}; pg-b at {event.promote.after}", "engine facts wait for the run");
    assert.equal(p.template?.prompt, "{scenario.file}: {failover.fencing}, {failover.detection}.");
  });

  test("a bag pattern with multi-word alternatives is refused", () => {
    const text = `  - id: t\n    kind: text\n    title: T\n    prompt: P\n    model_answer: M\n    rubric:\n      concepts:\n        - id: c\n          label: L\n          why: W\n          patterns: ["lsn|log position|wal position|replay*|causal token*|gtid|version token*"]\n`;
    const error = load({ "a.yaml": `${header}${text}` });
    assert.match(error.message, /a pattern of 5 terms/);
  });

  test("a misconception that voids a concept the rubric does not have is refused", () => {
    const text = `  - id: t\n    kind: text\n    title: T\n    prompt: P\n    model_answer: M\n    rubric:\n      concepts:\n        - id: c\n          label: L\n          why: W\n          patterns: ["alpha"]\n      misconceptions:\n        - id: m\n          label: L\n          why: W\n          voids: [d]\n          patterns: ["bravo"]\n`;
    const error = load({ "a.yaml": `${header}${text}` });
    assert.match(error.message, /no concept "d" in this rubric to void/);
  });
});
