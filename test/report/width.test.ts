// Text output fits the width it is given. Every bundled scenario, a --compare
// of several designs, a validate run with many findings, the quorum calculator
// and explore are rendered at 80 and 120 columns: no line may be wider (colour
// codes excluded) unless it is one unbreakable token, and nothing may be lost
// on the way (every class, verdict and timeline entry is still there, word for
// word once line breaks are ignored).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Chalk } from "chalk";
import { simulate } from "../../src/engine/simulate.js";
import type { SimulationResult } from "../../src/engine/result.js";
import { loadFile } from "../../src/model/load.js";
import { lintInputs } from "../../src/lint/run.js";
import { renderLintText } from "../../src/report/lint/text.js";
import { renderCompareText } from "../../src/report/simulate/compare.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { describeEntry } from "../../src/report/simulate/timeline.js";
import { renderQuorumText } from "../../src/report/quorum/text.js";
import { analyzeQuorum } from "../../src/quorum/analysis.js";
import { runTrials } from "../../src/engine/trials.js";
import { measureRun } from "../../src/live/measure.js";
import type { LiveReport } from "../../src/live/report-model.js";
import { compareRows, verdictLines } from "../../src/report/live/compare.js";
import { clusterLines, renderLiveText } from "../../src/report/live/text.js";
import { log, plan } from "../live/helpers.js";

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const ANSI = /\u001b\[[0-9;]*m/g;
const WIDTHS = [80, 120] as const;
const root = process.cwd();

/** The columns a line takes: colour codes excluded (box drawing and the marks used here are one column each). */
function visible(line: string): number {
  return [...line.replace(ANSI, "")].length;
}

/** Every line fits, or is a single token (a long path) that cannot be broken. */
export function assertFits(text: string, width: number, what: string): void {
  for (const line of text.split("\n")) {
    if (visible(line) <= width) continue;
    const bare = line.replace(ANSI, "").trim();
    assert.ok(!bare.includes(" "), `${what} at ${width}: a line of ${visible(line)} columns:\n${line.replace(ANSI, "")}`);
  }
}

/** The text with line breaks, indents and table borders gone: what a reader reads, word by word. */
function words(text: string): string {
  return text
    .replace(ANSI, "")
    .replace(/[│┌┐└┘├┤┬┴┼─]/g, " ")
    .replace(/\s+/g, " ");
}

function assertContains(text: string, needle: string, what: string): void {
  assert.ok(words(text).includes(words(needle).trim()), `${what}: "${needle}" is missing`);
}

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...scenarioFiles(path));
    else if (name.endsWith(".yaml") && /^kind: scenario$/m.test(readFileSync(path, "utf8"))) out.push(path);
  }
  return out;
}

function run(file: string): SimulationResult {
  const loaded = loadFile(relative(root, file));
  assert.equal(loaded.kind, "scenario");
  if (loaded.kind !== "scenario") throw new Error("unreachable");
  return simulate(loaded.scenario, { seed: loaded.scenario.seed });
}

describe("simulate: every bundled scenario at 80 and 120 columns", { concurrency: false }, () => {
  for (const file of scenarioFiles(join(root, "scenarios"))) {
    const name = relative(join(root, "scenarios"), file);
    test(name, () => {
      const result = run(file);
      for (const width of WIDTHS) {
        const text = renderSimulateText(result, plain, { width });
        assertFits(text, width, name);
        for (const c of result.classes) assertContains(text, c.name, `${name} at ${width}`);
        // Each class's verdict, in the table's "met"/"missed" words.
        const verdicts = words(text).match(/\b(met|missed)\b/g) ?? [];
        assert.ok(verdicts.length >= result.classes.length, `${name} at ${width}: a verdict per class`);
        for (const entry of result.timeline.slice(0, 500)) {
          assertContains(text, entry.event, `${name} at ${width}`);
          assertContains(text, describeEntry(entry, result), `${name} at ${width}, timeline`);
        }
        for (const e of result.expectations) assertContains(text, `${e.path} expected ${e.expected}`, `${name} at ${width}, expectations`);
      }
      // Colour codes take no room.
      assertFits(renderSimulateText(result, colour, { width: 80 }), 80, `${name} in colour`);
    });
  }
});

describe("simulate: layout of the RPO/RTO table", () => {
  const result = run(join(root, "scenarios/dns-stale-clients.yaml"));
  const heads = ["class", "RPO target", "RPO measured", "RTO target", "RTO write", "RTO read", "client p50/p99", "write p50/p99", "verdict"];
  const headerLine = (text: string) => text.split("\n").find((l) => heads.every((h) => l.includes(h)));

  test("at 120 columns: a table with one row per class holding every figure (headers may take two lines)", () => {
    const text = renderSimulateText(result, plain, { width: 120 });
    assert.match(text, /^│ class +│ RPO +│ RPO +│ RTO/m, text);
    assert.match(text, /│ ledger +│ 0 +│ 0 lost +│ 1m +│ [\d.]+s +│ [\d.]+s +│ [\d.]+s \/ 5m[\d.]+s +│ .* │ write RTO met · p99 client(?: missed)? +│/);
  });

  test("at 250 columns: the full table, one header line naming every column", () => {
    const header = headerLine(renderSimulateText(result, plain, { width: 250 }));
    assert.ok(header?.startsWith("│ class"));
  });

  test("at 80 columns: no full table; the class stacked (or a compact table) with every figure labelled", () => {
    const text = renderSimulateText(result, plain, { width: 80 });
    assert.equal(headerLine(text), undefined, "the 114-column table does not fit 80");
    const section = text.slice(text.indexOf("RPO / RTO per data class"), text.indexOf("Totals"));
    assert.match(section, /^ {2}ledger$/m, section);
    for (const label of ["RPO target", "RPO measured", "RTO write", "client p50/p99", "verdict"]) assert.match(section, new RegExp(`^ {4}${label}: +\\S`, "m"), label);
  });

  test("a long timeline detail wraps under the detail column, never mid-word", () => {
    const text = renderSimulateText(result, plain, { width: 80 });
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes("reconnected") && l.includes("99% of 400"));
    assert.ok(at > 0, text);
    const column = lines[at].indexOf("99% of 400");
    assert.ok(lines[at + 1].startsWith(" ".repeat(column)) && lines[at + 1][column] !== " ", `hanging indent under column ${column}:\n${lines.slice(at, at + 3).join("\n")}`);
    const detail = describeEntry(result.timeline.find((e) => e.event === "reconnected")!, result);
    for (const word of detail.split(" ")) assert.ok(words(text).includes(word), word);
  });
});

describe("simulate --compare at 80 and 120 columns", () => {
  const files = ["active-passive-partition", "multi-leader-lww-partition", "consensus-partition"].map((n) => join(root, "scenarios/cross-region", `${n}.yaml`));
  const results = files.map(run);
  for (const width of WIDTHS) {
    test(`${width} columns: fits, and every design's row is there`, () => {
      const text = renderCompareText(results, plain, { width });
      assertFits(text, width, "compare");
      for (const r of results) {
        for (const needle of [r.topology, r.mode, r.scenario, `${r.totals.staleReads.toLocaleString("en-US")}`]) assertContains(text, needle, `compare at ${width}`);
        for (const g of r.regions) assertContains(text, g.region, `compare at ${width}`);
      }
    });
  }

  test("at 80 the ~190-column table is stacked: a block per run with labelled values", () => {
    const text = renderCompareText(results, plain, { width: 80 });
    assert.doesNotMatch(text, /┌/);
    assert.match(text, /^ {2}active-passive$/m);
    assert.match(text, /^ {4}acked writes lost \(RPO\): +\S/m);
  });
});

describe("validate: a file with many findings at 80 and 120 columns", () => {
  const { run: lint } = lintInputs(["topologies/weak-answer.yaml"], { today: new Date("2026-11-26T00:00:00Z") });
  test("has many findings", () => assert.ok(lint.report.findings.length >= 6));
  for (const width of WIDTHS) {
    test(`${width} columns: every message and hint, whole, within the width`, () => {
      for (const chalk of [plain, colour]) {
        const text = renderLintText(lint.report, chalk, { width });
        assertFits(text, width, "validate");
        for (const f of lint.report.findings) {
          assertContains(text, `${f.line}:${f.column} ${f.severity} ${f.rule}`, `validate at ${width}`);
          assertContains(text, f.message, `validate at ${width}`);
          assertContains(text, `hint: ${f.hint}`, `validate at ${width}`);
        }
      }
    });
  }

  test("the hint wraps with a hanging indent under its first word", () => {
    const text = renderLintText(lint.report, plain, { width: 80 });
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.trimStart().startsWith("hint: ") && lines[lines.indexOf(l) + 1]?.startsWith(" "));
    const column = lines[at].indexOf("hint: ") + "hint: ".length;
    assert.ok(lines[at + 1].startsWith(" ".repeat(column)) && lines[at + 1][column] !== " ", lines.slice(at, at + 2).join("\n"));
  });
});

describe("quorum at 80, 120 and the narrowest width", () => {
  for (const width of [40, ...WIDTHS]) {
    test(`${width} columns`, () => {
      for (const input of [
        { n: 5, r: 2, w: 2, down: 0, sloppy: false, cluster: null },
        { n: 5, r: 2, w: 4, down: 2, sloppy: true, cluster: null },
      ]) {
        const result = { analysis: analyzeQuorum(input), latency: null };
        const text = renderQuorumText(result, plain, { width });
        assertFits(text, width, "quorum");
        for (const remark of result.analysis.remarks) assertContains(text, remark.text, `quorum at ${width}`);
        for (const word of ["writes", "reads", "R + W > N", "stale reads", "strong reads"]) assertContains(text, word, `quorum at ${width}`);
      }
    });
  }
});

describe("live at 80 and 120 columns", () => {
  function report(runs: number): LiveReport {
    const p = plan();
    return {
      file: "scenarios/live/leader-crash.yaml",
      versions: { patroni: "3.0.2", postgres: "15.18", etcd: "3.4.23" },
      plan: p,
      simulated: runTrials(p.simulated, 5, (s, o) => simulate(s, o)),
      trials: 5,
      runs: Array.from({ length: runs }, (_, i) => measureRun(p, { ...log(), run: i + 1 })),
      kept: null,
      bootstrapSeconds: 14.2,
    };
  }
  for (const width of WIDTHS) {
    test(`${width} columns: the prediction, the cluster, each run and the side-by-side table, whole`, () => {
      const r = report(2);
      const text = renderLiveText(r, plain, { width });
      assertFits(text, width, "live");
      for (const line of clusterLines(r)) assertContains(text, line, `live at ${width}`);
      for (const row of compareRows(r)) for (const cell of [row.cls, row.metric, row.simulated, ...row.live, row.ratio]) assertContains(text, cell, `live at ${width}`);
      for (const line of verdictLines(r)) assertContains(text, line, `live at ${width}`);
      for (const run of r.runs) for (const entry of run.result.timeline) assertContains(text, describeEntry(entry, run.result), `live at ${width}`);
    });
  }
});
