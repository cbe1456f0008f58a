import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { runTrials } from "../../../src/engine/trials.js";
import type { ResolvedScenario } from "../../../src/model/types.js";
import { formatClock, formatMs, formatTargetBeside, formatVersus } from "../../../src/report/common/format.js";
import { phaseBar, renderSimulateText, timeLabel, TIMELINE_MAX_LINES } from "../../../src/report/simulate/text.js";
import { renderSimulateMarkdown } from "../../../src/report/simulate/markdown.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { formatMeasuredMs } from "../../../src/report/simulate/expectations.js";
import { failoverResult, ledger, quietResult } from "../../fixtures/results/failover.js";

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const ANSI = /\x1b\[/;

function lines(text: string): string[] {
  return text.split("\n");
}

function lineWith(text: string, ...parts: string[]): string {
  const found = lines(text).find((l) => parts.every((p) => l.includes(p)));
  assert.ok(found, `no line with ${parts.join(", ")} in:\n${text}`);
  return found;
}

test("formatClock / timeLabel: relative to the first fault, never losing seconds past a minute", () => {
  assert.equal(formatClock(0), "0");
  assert.equal(formatClock(350), "350ms");
  assert.equal(formatClock(9_400), "9.4s");
  assert.equal(formatClock(9_453), "9.5s");
  assert.equal(formatClock(999.95), "1s");
  assert.equal(formatClock(999.94), "999.9ms");
  assert.equal(formatClock(59_960), "1m");
  assert.equal(formatClock(7_200_000), "2h00m");
  assert.equal(formatClock(61_000), "1m01s");
  assert.equal(formatClock(64_300), "1m04.3s");
  assert.equal(formatClock(300_000), "5m");
  assert.equal(formatClock(3_723_000), "1h02m03s");
  assert.equal(timeLabel(39_400, 30_000), "T+9.4s");
  assert.equal(timeLabel(28_000, 30_000), "T-2s");
  assert.equal(timeLabel(30_000, 30_000), "T+0");
  assert.equal(timeLabel(39_400, null), "39.4s", "no fault: time since the start");
  assert.equal(formatMs(61_000), "1m01s", "an RTO of 61 s must not read as 1m");
  assert.equal(formatMs(null, "never"), "never");
  assert.equal(formatMs(Infinity), "never");
  assert.equal(formatMs(14_400_000), "4h");
  // An expectation's measured value keeps the minutes above an hour: a 63-minute restore checked against "<1h" must not read "1h".
  assert.equal(formatMeasuredMs(63 * 60_000), "1h03m");
  assert.equal(formatMeasuredMs(4_096_300), "1h08m16s");
  assert.equal(formatMeasuredMs(61_000), "1m01s");
  assert.equal(formatMeasuredMs(3 * 86_400_000), "3d");
});

test("text: plain at chalk level 0, coloured at level 1", () => {
  const result = failoverResult({ violations: [{ check: "durability" as const, node: "pg-b", flushedLsn: 4096, forkLsn: 2048, epoch: 2 }] });
  assert.doesNotMatch(renderSimulateText(result, plain), ANSI);
  assert.match(renderSimulateText(result, colour), ANSI);
});

test("text: header names scenario, topology, mode, seed and duration", () => {
  const text = renderSimulateText(failoverResult(), plain);
  assert.equal(lines(text)[0], "Scenario leader-dies-in-az-a");
  assert.equal(lines(text)[1], "topology payments · mode leader-follower · seed 42 · duration 2m · first fault at 30s");
});

test("text: the timeline tells the failover story top to bottom, in T± times", () => {
  const text = renderSimulateText(failoverResult(), plain);
  assert.ok(text.includes("Timeline (T = first fault, at 30s into the run)"));
  const story = ["lag", "crash", "detect", "fence", "elect", "promote", "endpoint", "reconnect", "first_write"];
  const positions = story.map((event) => text.indexOf(`  ${event}  `));
  assert.ok(positions.every((p) => p > 0), "every event is shown");
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, "in order");
  assert.match(lineWith(text, "crash"), /^ {2}T\+0 +pg-a +crash +host failed; 3 WAL messages in flight lost$/);
  assert.match(lineWith(text, "detect", "lease"), /^ {2}T\+9\.4s +pg-b +detect +leader lease expired/);
  assert.match(lineWith(text, "replica pg-c"), /^ {2}T-2s +pg-c +lag/);
  assert.match(lineWith(text, "first_write"), /^ {2}T\+24\.1s +pg-b +first_write/);
});

test("text: without a fault, times are absolute", () => {
  const text = renderSimulateText(quietResult(), plain);
  assert.ok(text.includes("Timeline (time since start)"));
  assert.match(lineWith(text, "pg-a is the leader"), /^ {2}0 +pg-a +leader +pg-a is the leader$/);
  assert.ok(text.includes("no faults"));
  assert.ok(!text.includes("Failover phases"), "no phases, no chart");
  assert.ok(!text.includes("Replication lag"), "no samples, no lag section");
});

test("text: a long timeline is capped with a pointer to --json", () => {
  const timeline = Array.from({ length: TIMELINE_MAX_LINES + 7 }, (_, i) => ({ atMs: 30_000 + i, node: "pg-b", event: "ack", observed: `write ${i}` }));
  const text = renderSimulateText(failoverResult({ timeline }), plain);
  assert.ok(text.includes("… 7 more entries (--json has them all)"));
});

test("text: the phase chart is proportional and shows each phase's time", () => {
  const text = renderSimulateText(failoverResult(), plain);
  assert.ok(text.includes("Failover phases (24.1s from first to last)"));
  const detect = lineWith(text, "detect", "█");
  const elect = lineWith(text, "elect ", "█");
  assert.match(detect, /9\.4s$/);
  assert.match(elect, /500ms$/);
  assert.match(lineWith(text, "reconnect", "█"), /5\.2s$/);
  const bars = (l: string) => (l.match(/█/g) ?? []).length;
  assert.ok(bars(detect) > bars(elect) * 10, "9.4 s draws much longer than 0.5 s");
  assert.ok(detect.indexOf("█") < elect.indexOf("█"), "elect starts after detect");
  assert.equal(phaseBar(0, 10, 0, 100, 10), "█");
  assert.equal(phaseBar(50, 100, 0, 100, 10), "     █████");
  assert.equal(phaseBar(50, 50, 0, 100, 10), "     ▏", "an instant still shows");
});

test("text: the RPO/RTO table has a row per class with targets, measurements and verdicts", () => {
  // Wide enough for the full table; narrower widths are tested in layout.test.ts.
  const text = renderSimulateText(failoverResult(), plain, { width: 160 });
  assert.ok(text.includes("RPO / RTO per data class"));
  const header = lineWith(text, "class", "RPO target", "RPO measured", "RTO target", "RTO write", "RTO read", "client p50/p99", "write p50/p99", "verdict");
  assert.ok(header.startsWith("│"));
  assert.match(lineWith(text, "│ ledger"), /│ ledger +│ 0 +│ 0 lost +│ 30s +│ 24\.1s +│ 24\.1s +│ 40s \/ 1m01s +│ 1\.4ms \/ 4\.8ms │ met +│/);
  assert.match(lineWith(text, "│ analytics_rollups"), /│ 4h +│ 12 lost · 1\.2s window +│ 1h +│ 24\.1s +│ 0 +│ – +│ 0\.3ms \/ 1\.2ms │ met +│/);
});

test("text: missed targets say so (and in red with colour)", () => {
  const result = failoverResult({
    classes: [ledger({ rpo: { targetMs: 0, lostAckedWrites: 3, windowMs: 150 }, rto: { targetMs: 30_000, writeMs: null, readMs: 45_000, p50ClientMs: null, p99ClientMs: null }, met: false })],
  });
  const text = renderSimulateText(result, plain);
  assert.match(lineWith(text, "│ ledger"), /3 lost · 150ms window +│ 30s +│ never +│ 45s +│.*│ missed +│/);
  assert.ok(!text.includes("client p50"), "no client tail measured, no column");
  const coloured = renderSimulateText(result, colour);
  assert.ok(coloured.includes(colour.red("never")));
  assert.ok(coloured.includes(colour.red("missed")));
});

test("text: totals and the lag summary", () => {
  const text = renderSimulateText(failoverResult(), plain);
  assert.ok(text.includes("  writes  22,500 acked · 12 lost · 135 rejected"));
  assert.ok(text.includes("  reads   230,000 served · 40 rejected · 37 stale"));
  assert.ok(text.includes("  split brain 0 · writes unavailable 24.1s · conflicts 0 · failovers 1"));
  assert.ok(text.includes("Replication lag (max per node: bytes behind, time behind, each at its own peak)"));
  // Each figure with its own peak time: pg-c was furthest behind in bytes at T-2s and in time at T-500ms.
  assert.match(lineWith(text, "pg-c", "1.7s at"), /^ {2}pg-c +2MB at T-2s +1\.7s at T-500ms$/);
  assert.match(lineWith(text, "pg-b", "1.2ms at"), /^ {2}pg-b +4KB at T-20s +1\.2ms at T-1s$/);
});

test("text: expectation verdicts with ✓/✗, path, expected and actual, and a closing verdict", () => {
  const result = failoverResult({
    expectations: [
      { path: "ledger.rpo", expected: "0", measured: { kind: "count", n: 0 }, met: true },
      { path: "ledger.rto", expected: "<20s", measured: { kind: "duration", ms: 24_100 }, met: false },
    ],
  });
  const text = renderSimulateText(result, plain);
  assert.ok(text.includes("Expectations (1 of 2 expectations failed)"));
  assert.match(lineWith(text, "✓ ledger.rpo"), /✓ ledger\.rpo +expected 0 +actual 0$/);
  assert.match(lineWith(text, "✗ ledger.rto"), /✗ ledger\.rto +expected <20s +actual 24\.1s$/);
  assert.equal(lines(text.trimEnd()).at(-1), "✗ 1 of 2 expectations failed");
  const good = renderSimulateText(failoverResult({ expectations: [{ path: "split_brain", expected: "false", measured: { kind: "value", value: false }, met: true }] }), plain);
  assert.equal(lines(good.trimEnd()).at(-1), "✓ 1 expectation met");
});

test("text: invariant violations are loud, near the top, and in the verdict", () => {
  const result = failoverResult({ violations: [{ check: "fencing", splitBrainMs: 900, fencing: "stonith" }, { check: "durability" as const, node: "pg-b", flushedLsn: 4096, forkLsn: 2048, epoch: 2 }] });
  const text = renderSimulateText(result, plain);
  const at = text.indexOf("INVARIANT VIOLATIONS (2)");
  assert.ok(at > 0 && at < text.indexOf("Timeline"), "before the timeline");
  assert.ok(text.replace(/\s+/g, " ").includes("replay with --seed 42"), "the title (wrapped to the width) says how to replay");
  assert.ok(text.includes('  ✗ fencing: two nodes acknowledged writes at once for 900ms although fencing is "stonith"'));
  assert.equal(lines(text.trimEnd()).at(-1), "✗ no expectations to check; 2 invariant violations");
  const coloured = renderSimulateText(result, colour);
  assert.ok(coloured.includes(colour.red("  ✗ durability: pg-b acknowledged WAL up to 4096 as flushed but was promoted at 2048 on timeline 3")));
  assert.ok(!renderSimulateText(failoverResult(), plain).includes("INVARIANT"));
});

test("text: with trials, a per-class table of percentiles and shares", () => {
  const scenario = { seed: 42, expect: {}, expectations: [] } as unknown as ResolvedScenario;
  const result = runTrials(scenario, 20, (_s, { seed }) =>
    failoverResult({ seed, classes: [ledger({ rto: { targetMs: 30_000, writeMs: seed === 61 ? null : 20_000 + (seed - 42) * 500, readMs: 1, p50ClientMs: null, p99ClientMs: null } })] }),
  );
  const text = renderSimulateText(result, plain);
  assert.ok(lines(text)[1].endsWith("· 20 trials"));
  assert.ok(text.includes("Monte Carlo: 20 trials (seeds 42..61;"));
  lineWith(text, "class", "RPO p50", "p95", "p99", "max", "RPO met", "RTO p50", "RTO met", "all met");
  // Write RTOs 20, 20.5, … 29 s and one never: p50 = 24.5 s, p95 = 29 s, p99 = max = never.
  assert.match(lineWith(text, "│ ledger", "%"), /│ ledger +│ 0 +│ 0 +│ 0 +│ 0 +│ 100% +│ 24\.5s +│ 29s +│ never +│ never +│ 95% +│ 100% +│/);
});

test("a missed target never stands beside an equal-looking figure: both print in milliseconds when they would read alike (found by a review)", () => {
  assert.equal(formatVersus(14_060.9, 14_050), "14.0609s");
  assert.equal(formatTargetBeside(14_050, [14_060.9, 100]), "14.05s");
  assert.equal(formatVersus(20_000, 30_000), formatMs(20_000), "figures that read apart keep the short form");
  assert.equal(formatTargetBeside(30_000, [20_000, null]), formatMs(30_000));
  assert.equal(formatVersus(30_000, 30_000), formatMs(30_000), "an equal figure is equal");
  assert.equal(formatVersus(null, 30_000, "never"), "never");
});

test("one table, one way of writing durations: a target of exactly a minute reads 1m beside a write RTO of 1m and a client tail just past it, in text, Markdown and HTML (found by a review: 60000ms beside 1m)", () => {
  assert.equal(formatTargetBeside(60_000, [60_000, 23.8, 60_000.1, 60_000.4]), "1m");
  assert.equal(formatVersus(60_000, 60_000), "1m");
  assert.equal(formatVersus(60_000.4, 60_000), "1m00.0004s");
  assert.equal(formatVersus(61_000.4, 61_000), "1m01.0004s");
  assert.equal(formatTargetBeside(3_600_000, [3_600_000.5]), "1h");
  assert.equal(formatVersus(3_600_000.5, 3_600_000), "1h00m00.0005s");
  const result = failoverResult({ classes: [ledger({ rto: { targetMs: 60_000, writeMs: 60_000, readMs: 23.8, p50ClientMs: 60_000.1, p99ClientMs: 60_000.4 } })] });
  for (const out of [renderSimulateText(result, plain, { width: 250 }), renderSimulateMarkdown(result), renderSimulateHtml([result])]) {
    assert.doesNotMatch(out, /60000(\.\d)?ms/);
    assert.ok(out.split("\n").some((l) => /ledger/.test(l) && /1m00\.0004s/.test(l)), out);
  }
});

test("text and markdown: one trial is 'trial', its seed one seed (was '1 trials (seeds 42..42')", () => {
  const scenario = { seed: 42, expect: {}, expectations: [] } as unknown as ResolvedScenario;
  const result = runTrials(scenario, 1, (_s, { seed }) => failoverResult({ seed }));
  const text = renderSimulateText(result, plain);
  assert.ok(lines(text)[1].endsWith("· 1 trial"), lines(text)[1]);
  assert.ok(text.includes("Monte Carlo: 1 trial (seed 42;"), text);
  const markdown = renderSimulateMarkdown(result);
  assert.ok(markdown.includes("· 1 trial\n") && markdown.includes("#### Monte Carlo: 1 trial (seed 42)"), markdown);
});

test("text: a lease detection's renewal, ttl and time add up: the coordinator's revoke check after the expiry is said (found by a review: 'expired (10s ttl, last renewed at T-334.4ms)' at T+10.1s)", async () => {
  const { simulate } = await import("../../../src/engine/simulate.js");
  const { factsOf } = await import("../../../src/engine/result.js");
  const { describeEntry } = await import("../../../src/report/simulate/timeline.js");
  const { loadFile } = await import("../../../src/model/load.js");
  const loaded = loadFile("scenarios/leader-dies-in-az-a.yaml");
  assert.ok(loaded.kind === "scenario");
  const r = simulate(loaded.scenario);
  const [detect] = factsOf(r.timeline, "detect");
  assert.ok(detect.via === "lease");
  const late = detect.atMs - detect.lastRenewalMs - detect.ttlMs;
  assert.ok(late > 0 && late < 500, `detected ${late} ms after the expiry`);
  assert.ok(Math.abs(detect.revokedAfterMs - late) < 0.1, `${detect.revokedAfterMs} vs ${late}`);
  assert.match(describeEntry(detect, r), new RegExp(`removed the key ${formatMs(detect.revokedAfterMs).replace(".", "\\.")} later`));
});
