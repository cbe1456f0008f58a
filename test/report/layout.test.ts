// The layout helpers every text report shares: wrapping with hanging indents,
// packing parts into lines, and tables that narrow by measuring their rendered
// width (full → compact → wrapped → stacked). Plus the --width flag: how it
// parses, and which width a command renders to on a terminal, in a pipe, and
// when told.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Chalk } from "chalk";
import { fitLines, packParts, wrapHanging } from "../../src/report/common/layout.js";
import { layoutTable, type TableSpec } from "../../src/report/common/table.js";
import { parseWidthFlag, resolveWidth } from "../../src/cli/flags.js";

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const ANSI = /\u001b\[[0-9;]*m/g;
const widest = (text: string) => Math.max(...text.split("\n").map((l) => [...l.replace(ANSI, "")].length));

describe("wrapping", () => {
  test("a hanging indent: continuation lines start under the text, words stay whole", () => {
    const lines = wrapHanging("the quick brown fox jumps over the lazy dog again and again", 24, "  hint: ", "        ");
    assert.deepEqual(lines, ["  hint: the quick brown", "        fox jumps over", "        the lazy dog", "        again and again"]);
  });

  test("a token longer than the line stays whole on its own line", () => {
    const path = "explore-payments/a-very-long-file-name-that-cannot-break.yaml";
    const lines = wrapHanging(`saved to ${path} just now`, 30, "  ");
    assert.ok(lines.includes(`  ${path}`), lines.join("\n"));
  });

  test("colour codes take no room", () => {
    const text = colour.red("word ").repeat(20);
    for (const line of wrapHanging(text, 30, "  ")) assert.ok([...line.replace(ANSI, "")].length <= 30, line);
  });

  test("parts pack into lines and break between parts, not inside them", () => {
    const lines = packParts(["writes unavailable 52s", "conflicts 0", "failovers 1", "split brain 0"], 40, "  ", "    ");
    assert.deepEqual(lines, ["  writes unavailable 52s · conflicts 0 ·", "    failovers 1 · split brain 0"]);
  });

  test("fitLines wraps prose under its own indent and leaves table lines alone", () => {
    const text = ["  one two three four five six seven eight nine ten", "│ a │ b │ c │ d │ e │ f │ g │ h │ i │ j │ k │ l │ m │"].join("\n");
    const out = fitLines(text, 30).split("\n");
    assert.deepEqual(out.slice(0, 3), ["  one two three four five", "    six seven eight nine ten", "│ a │ b │ c │ d │ e │ f │ g │ h │ i │ j │ k │ l │ m │"]);
  });
});

describe("tables narrow by measuring", () => {
  const spec: TableSpec = {
    columns: [{ head: "class" }, { head: "RPO target", short: "RPO tgt" }, { head: "why it matters", wrap: true }, { head: "shared" }, { head: "verdict", keep: true }],
    rows: [
      ["ledger", "0", "money: a lost write is a lost payment that someone will notice", "same", "met"],
      ["analytics", "4h", "rebuilt from the ledger", "same", "met"],
    ],
  };
  const cells = spec.rows.flat();

  test("wide: the full table", () => {
    const { layout, text } = layoutTable(spec, 200, plain);
    assert.equal(layout, "full");
    assert.match(text, /│ class +│ RPO target +│ why it matters/);
  });

  test("narrower: short headers, and the wrappable column word-wraps (never below its widest word) before anything leaves its row", () => {
    for (const width of [105, 60]) {
      const { layout, text } = layoutTable(spec, width, plain);
      assert.equal(layout, "wrapped", text);
      assert.match(text, /│ RPO tgt │/);
      assert.ok(widest(text) <= width, text);
      assert.ok(!text.includes("…"), "nothing truncated");
      assert.equal(text.match(/│ same/g)?.length, 2, "every value in its row");
    }
    assert.match(layoutTable(spec, 60, plain).text, /│ money: a lost +│.*\n.*│ write is a lost +│/);
  });

  test("when only that fits: a column the same in every row is said once under the table (a kept column stays)", () => {
    const unwrappable: TableSpec = { ...spec, columns: spec.columns.map((c) => ({ ...c, wrap: false })) };
    const { layout, text } = layoutTable(unwrappable, 100, plain);
    assert.equal(layout, "compact", text);
    assert.match(text, /^in every row: shared same$/m);
    assert.doesNotMatch(text, /│ same/);
    assert.equal(text.match(/│ met/g)?.length, 2, "a column marked keep stays in its rows");
    assert.ok(widest(text) <= 100);
  });

  test("a column moved under the table is named by its label, which says what its header's neighbours said (the trials' 'RTO p95')", () => {
    const trials: TableSpec = {
      columns: [{ head: "class" }, { head: "RPO p50" }, { head: "p95", label: "RPO p95" }, { head: "RTO p50" }, { head: "p95", label: "RTO p95" }, { head: "all met", keep: true }],
      rows: [
        ["ledger-with-a-long-name", "1.1s", "1.2s", "11.3s", "12.2s", "0%"],
        ["analytics-with-a-long-name", "1.4s", "1.5s", "11.2s", "12.2s", "100%"],
      ],
      rowNoun: "class",
    };
    const { layout, text } = layoutTable(trials, 70, plain);
    assert.equal(layout, "compact", text);
    assert.match(text, /^in every class: RTO p95 12\.2s$/m);
  });

  test("narrowest: stacked blocks with every cell labelled", () => {
    const { layout, text } = layoutTable(spec, 40, plain);
    assert.equal(layout, "stacked", text);
    assert.ok(widest(text) <= 40, text);
    assert.match(text, /^ {2}ledger\n {4}RPO target: +0$/m);
    for (const cell of cells) assert.ok(text.replace(/\s+/g, " ").includes(cell), cell);
  });

  test("every layout keeps every cell, in colour too", () => {
    for (const width of [200, 105, 60, 40]) {
      const { text } = layoutTable({ ...spec, rows: spec.rows.map((r) => r.map((c) => colour.green(c))) }, width, colour);
      assert.ok(widest(text) <= width, `${width}:\n${text}`);
      // A wrapped cell's words sit between other cells' words, so look for every word.
      const flat = ` ${text.replace(ANSI, "").replace(/[│┌┐└┘├┤┬┴┼─]/g, " ").replace(/\s+/g, " ")} `;
      for (const word of cells.flatMap((c) => c.split(" "))) assert.ok(flat.includes(` ${word} `), `${width}: ${word}`);
    }
  });

  test("a prose column too narrow to read leaves the table and follows it, row by row, while the figures stay side by side (found by a review: the recovery options' why at 80 columns was 8 wide and 20 lines tall)", () => {
    const options: TableSpec = {
      columns: [{ head: "option" }, { head: "restore time" }, { head: "lost writes" }, { head: "why", wrap: "prose" }],
      rows: [
        ["▶ failover", "–", "0", "a member in another region was elected leader"],
        ["  point-in-time restore", "13.8m", "9,035", "restore in another region from the base backup plus archived WAL up to 2.3s before the run"],
      ],
    };
    const wide = layoutTable(options, 200, plain);
    assert.equal(wide.layout, "full", wide.text);
    const { layout, text } = layoutTable(options, 70, plain);
    assert.equal(layout, "notes", text);
    assert.ok(widest(text) <= 70, text);
    assert.match(text, /│ ▶ failover +│ – +│ 0 +│\n/);
    assert.match(text, /^why: ▶ failover — a member in another region was elected leader$/m);
    assert.match(text, /^why: point-in-time restore — restore in another region/m);
    // A plain wrappable column (short phrases) still wraps inside the table.
    const { layout: plainLayout } = layoutTable({ columns: options.columns.map((c) => (c.wrap ? { ...c, wrap: true } : c)), rows: options.rows.map(([first, ...rest]) => [first.replace("▶ ", ""), ...rest]) }, 70, plain);
    assert.equal(plainLayout, "wrapped");
  });
});

describe("--width", () => {
  test("parses a whole number, raises it to 40, and rejects nonsense", () => {
    assert.equal(parseWidthFlag("80"), 80);
    assert.equal(parseWidthFlag("40"), 40);
    // Below the narrowest width a report is drawn at, the flag is refused with the range it takes, never quietly widened.
    for (const bad of ["20", "39", "0", "abc", "-5", "80px", "", "1e3", "100000"]) assert.throws(() => parseWidthFlag(bad), /--width expects a whole number from 40 to 1,000/, bad);
  });

  test("a terminal's columns, 100 in a pipe, the flag over both", () => {
    assert.equal(resolveWidth(undefined, { isTTY: true, columns: 132 }), 132);
    assert.equal(resolveWidth(undefined, { isTTY: false, columns: 132 }), 100);
    assert.equal(resolveWidth(undefined, {}), 100);
    assert.equal(resolveWidth(undefined, { isTTY: true, columns: 20 }), 40);
    assert.equal(resolveWidth(undefined, { isTTY: true }), 100, "a terminal that does not say its width");
    assert.equal(resolveWidth(72, { isTTY: true, columns: 132 }), 72);
  });

  test("COLUMNS over the terminal and the pipe's default, the flag over COLUMNS; a COLUMNS that is not a number is ignored (found by a review)", () => {
    assert.equal(resolveWidth(undefined, { isTTY: false, columnsEnv: "80" }), 80);
    assert.equal(resolveWidth(undefined, { isTTY: true, columns: 200, columnsEnv: "80" }), 80);
    assert.equal(resolveWidth(60, { isTTY: true, columns: 200, columnsEnv: "80" }), 60);
    for (const junk of ["", "abc", "80px", "-5"]) assert.equal(resolveWidth(undefined, { isTTY: false, columnsEnv: junk }), 100, junk);
  });

  const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  test("every command that renders tables takes it; a bad value is a usage error (exit 2, one line, no stack)", () => {
    for (const args of [
      ["simulate", "scenarios/dns-stale-clients.yaml"],
      ["validate", "topologies/weak-answer.yaml"],
      ["quorum", "--n", "3", "--r", "2", "--w", "2"],
      ["explore", "topologies/no-fencing.yaml"],
      ["live", "scenarios/live/leader-crash.yaml"],
    ]) {
      const result = cli(...args, "--width", "abc");
      assert.equal(result.status, 2, `${args[0]}: ${result.stderr}`);
      assert.match(result.stderr, /^error --width expects a whole number from 40 to 1,000; got "abc"\n$/, args[0]);
    }
    assert.equal(cli("quorum", "--n", "3", "--r", "2", "--w", "2", "--width", "0").status, 2);
  });

  test("piped output is 100 columns; --width 80 narrows it", () => {
    const piped = cli("simulate", "scenarios/dns-stale-clients.yaml");
    assert.ok(widest(piped.stdout) <= 100 && widest(piped.stdout) > 80, `piped: ${widest(piped.stdout)} columns`);
    const narrow = cli("simulate", "scenarios/dns-stale-clients.yaml", "--width", "80");
    assert.ok(widest(narrow.stdout) <= 80, narrow.stdout);
    const quorum = cli("quorum", "--n", "5", "--r", "2", "--w", "2", "--width", "50");
    assert.ok(widest(quorum.stdout) <= 50, quorum.stdout);
  });
});

test("a percentile column whose group's first column moved under the table takes its label as header (found by a review: 'p99' read as RPO's)", () => {
  const plain = new Chalk({ level: 0 });
  const spec: TableSpec = {
    columns: [{ head: "class" }, { head: "RPO p50" }, { head: "p99", label: "RPO p99" }, { head: "RTO p50" }, { head: "p99", label: "RTO p99" }],
    rows: [
      ["orders-and-more", "996.6ms", "998.5ms", "11.2s", "12.5s"],
      ["analytics-rollups", "994.1ms", "999.9ms", "11.2s", "12.6s"],
    ],
    rowNoun: "class",
  };
  const full = layoutTable(spec, 200, plain);
  assert.equal(full.layout, "full");
  const narrow = layoutTable(spec, 54, plain);
  assert.equal(narrow.layout, "compact", narrow.text);
  assert.match(narrow.text, /│ RTO p99 │/, narrow.text);
  assert.match(narrow.text, /in every class: RTO p50 11\.2s/);
});
