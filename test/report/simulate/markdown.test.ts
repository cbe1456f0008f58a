import { test } from "node:test";
import assert from "node:assert/strict";
import { runTrials } from "../../../src/engine/trials.js";
import type { ResolvedScenario } from "../../../src/model/types.js";
import { renderSimulateMarkdown } from "../../../src/report/simulate/markdown.js";
import { cell } from "../../../src/report/common/markdown.js";
import { failoverResult, ledger, quietResult } from "../../fixtures/results/failover.js";

/** The table that follows a heading, as rows of trimmed cells (header first, separator dropped). */
function tableAfter(md: string, heading: string): string[][] {
  const start = md.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" in:\n${md}`);
  const rows: string[][] = [];
  for (const line of md.slice(start).split("\n").slice(1)) {
    if (line === "" && rows.length === 0) continue;
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  assert.ok(rows.length >= 2, `no table after "${heading}"`);
  return [rows[0], ...rows.slice(2)];
}

test("markdown: a heading with the verdict, metadata, and the timeline in a fenced block", () => {
  const md = renderSimulateMarkdown(failoverResult({ expectations: [{ path: "ledger.rpo", expected: "0", measured: { kind: "count", n: 0 }, met: true }] }));
  assert.ok(md.startsWith("### Scenario `leader-dies-in-az-a` — ✅ 1 expectation met\n\ntopology **payments** · mode leader-follower · seed 42"));
  assert.ok(md.includes("#### Timeline (T = first fault, at 30s)\n\n```text\nT-2s     pg-c     lag"));
  assert.match(md, /\nT\+9\.4s +pg-b +detect +leader lease expired/);
  assert.doesNotMatch(md, /\x1b\[/, "no ANSI codes in markdown");
  assert.ok(md.endsWith("\n"));
});

test("markdown: the RPO/RTO table", () => {
  const rows = tableAfter(renderSimulateMarkdown(failoverResult()), "#### RPO / RTO per data class");
  assert.deepEqual(rows[0], ["class", "RPO target", "RPO measured", "RTO target", "RTO write", "RTO read", "client p50 / p99", "write p50 / p99", "read p50 / p99", "met"]);
  assert.deepEqual(rows[1], ["`ledger`", "0", "0 lost", "30s", "24.1s", "24.1s", "40s / 1m01s", "1.4ms / 4.8ms", "0.6ms / 2.1ms", "✅ met"]);
  assert.deepEqual(rows[2], ["`analytics_rollups`", "4h", "12 lost · 1.2s window", "1h", "24.1s", "0", "–", "0.3ms / 1.2ms", "0.5ms / 1.9ms", "✅ met"]);
  const missed = tableAfter(
    renderSimulateMarkdown(failoverResult({ classes: [ledger({ rto: { targetMs: 30_000, writeMs: null, readMs: 40_000, p50ClientMs: null, p99ClientMs: null }, met: false })] })),
    "#### RPO / RTO per data class",
  );
  assert.deepEqual(missed[1].slice(4, 6), ["❌ never", "❌ 40s"]);
  assert.equal(missed[1].at(-1), "❌ missed");
});

test("markdown: phases, totals, lag and expectations tables", () => {
  const md = renderSimulateMarkdown(
    failoverResult({
      expectations: [
        { path: "ledger.rto", expected: "<20s", measured: { kind: "duration", ms: 24_100 }, met: false },
        { path: "timeline", expected: "crash → promote", measured: { kind: "timeline", found: [{ event: "crash", atMs: 30_000 }, { event: "promote", atMs: 40_900 }], missing: null }, met: true },
      ],
    }),
  );
  const phases = tableAfter(md, "#### Failover phases");
  assert.deepEqual(phases[1].slice(0, 3), ["detect", "T+0", "9.4s"]);
  assert.match(phases[2][3], /^`░+█+`$/, "fence starts after detect");
  const totals = tableAfter(md, "#### Totals");
  assert.deepEqual(totals[0].slice(0, 3), ["writes acked", "writes lost", "writes rejected"]);
  assert.deepEqual(totals[1].slice(0, 3), ["22,500", "⚠️ 12", "135"]);
  assert.deepEqual(tableAfter(md, "#### Replication lag")[2], ["`pg-c`", "2MB", "T-2s", "1.7s", "T-500ms"]);
  const expectations = tableAfter(md, "#### Expectations (1 of 2 expectations failed)");
  assert.deepEqual(expectations[1], ["❌", "`ledger.rto`", "`<20s`", "24.1s"]);
  assert.deepEqual(expectations[2], ["✅", "`timeline`", "`crash → promote`", "crash 30s → promote 40.9s"]);
});

test("markdown: cells are escaped; a detail with backticks cannot close the fence", () => {
  assert.equal(cell("a | b <c> & d\ne"), "a \\| b &lt;c&gt; &amp; d e");
  const md = renderSimulateMarkdown(
    failoverResult({
      timeline: [{ atMs: 30_000, node: "pg-a", event: "crash", observed: "ran ```rm -rf``` by mistake" }],
      expectations: [{ path: "x", expected: "a|b", measured: { kind: "error", message: "<never>" }, met: false }],
    }),
  );
  assert.ok(md.includes("````text\nT+0  pg-a  crash  ran ```rm -rf``` by mistake\n````"));
  assert.ok(md.includes("| ❌ | `x` | `a\\|b` | &lt;never&gt; |"));
});

test("markdown: violations as a caution block; quiet runs skip empty sections", () => {
  const md = renderSimulateMarkdown(failoverResult({ violations: [{ check: "fencing", splitBrainMs: 120, fencing: "a|b" }] }));
  assert.ok(md.includes("> [!CAUTION]\n> **Invariant violations (1)**"));
  assert.ok(md.includes('> - fencing: two nodes acknowledged writes at once for 120ms although fencing is "a\\|b"'));
  assert.ok(md.startsWith("### Scenario `leader-dies-in-az-a` — ❌ no expectations to check; 1 invariant violation"));
  const quiet = renderSimulateMarkdown(quietResult());
  assert.ok(!quiet.includes("[!CAUTION]"));
  assert.ok(!quiet.includes("Failover phases"));
  assert.ok(!quiet.includes("Replication lag"));
  assert.ok(!quiet.includes("#### Expectations"));
  assert.ok(quiet.includes("#### Timeline (time since start)"));
});

test("markdown: trials table", () => {
  const scenario = { seed: 7, expect: {}, expectations: [] } as unknown as ResolvedScenario;
  const result = runTrials(scenario, 4, (_s, { seed }) => failoverResult({ seed, classes: [ledger({ rto: { targetMs: 30_000, writeMs: seed * 1_000, readMs: 1, p50ClientMs: null, p99ClientMs: null } })] }));
  const rows = tableAfter(renderSimulateMarkdown(result), "#### Monte Carlo: 4 trials (seeds 7..10)");
  assert.deepEqual(rows[0], ["class", "RPO p50", "p95", "p99", "max", "RPO met", "RTO p50", "p95", "p99", "max", "RTO met", "all met"]);
  assert.deepEqual(rows[1], ["`ledger`", "0", "0", "0", "0", "100%", "8s", "10s", "10s", "10s", "100%", "✅ 100%"]);
});
