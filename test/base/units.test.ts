// The one duration formatter and its styles: each reading keeps the rounding
// its readers rely on (a table cell, a timeline, a file that must read back).
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, formatSize, isCalendarDate, parseDuration } from "../../src/base/units.js";

test("short: one unit, one decimal", () => {
  assert.deepEqual([0, 0.25, 950, 9_400, 90_000, 7_200_000, 604_800_000, -1500, Infinity].map((ms) => formatDuration(ms)), ["0", "0.25ms", "950ms", "9.4s", "1.5m", "2h", "7d", "-1.5s", "∞"]);
});

test("clock and minutes keep the seconds past a minute", () => {
  assert.deepEqual([999.96, 59_960, 64_000, 3_725_000].map((ms) => formatDuration(ms, { style: "clock" })), ["1s", "1m", "1m04s", "1h02m05s"]);
  assert.deepEqual([61_000, -61_000, 30_000, 7_200_000].map((ms) => formatDuration(ms, { style: "minutes" })), ["1m01s", "-1m01s", "30s", "2h"]);
});

test("seconds, milliseconds, sentence and timing", () => {
  assert.deepEqual([999, 12_000, 75_340].map((ms) => formatDuration(ms, { style: "seconds" })), ["999ms", "12.0s", "75.3s"]);
  assert.deepEqual([0.6554, 1.956, 53, 1364].map((ms) => formatDuration(ms, { style: "milliseconds" })), ["0.655 ms", "1.96 ms", "53 ms", "1364 ms"]);
  assert.equal(formatDuration(1.956, { style: "milliseconds", unit: false }), "1.96");
  assert.deepEqual([0, 200, 9_500, 340_200, 5_400_000, 604_800_000].map((ms) => formatDuration(ms, { style: "sentence" })), ["0s", "200ms", "9.5s", "5m40.2s", "1h30m", "7d"]);
  assert.deepEqual([0, 950, 119_500, 150_000].map((ms) => formatDuration(ms, { style: "timing" })), ["0s", "950ms", "119.5s", "2.5m"]);
});

test("exact durations and sizes read back to the same number", () => {
  for (const ms of [0, 1500, 90_000, 3_600_000, 604_800_000, 86_400_000 * 3]) {
    const text = formatDuration(ms, { style: "exact" });
    assert.deepEqual(parseDuration(text), { ok: true, value: ms }, text);
  }
  assert.deepEqual([16 * 1024 ** 2, 1024 ** 4, 1000].map((b) => formatSize(b, { exact: true })), ["16MB", "1TB", "1000"]);
  assert.equal(formatSize(1536), "1.5KB");
});

test("parts: every unit that is there, so a value just over a limit never reads as the limit", () => {
  const cases: [number, string][] = [
    [21_600_001, "6h1ms"],
    [21_600_000, "6h"],
    [90_000, "1m30s"],
    [1500, "1s500ms"],
    [0.0001, "0.0001ms"],
    [1.0000000000000001e-4, "0.0001ms"],
    [604_800_001, "7d1ms"],
    [0, "0s"],
  ];
  for (const [ms, text] of cases) {
    assert.equal(formatDuration(ms, { style: "parts" }), text);
    const back = parseDuration(text);
    assert.ok(back.ok && back.value === ms, `${text} reads back as ${ms}`);
  }
});

test("calendar dates: a day that exists, not one Date.parse rolls over (found by a review: 2024-02-30 passed)", () => {
  for (const ok of ["2024-02-29", "2023-12-31", "2000-02-29", "1999-01-01"]) assert.equal(isCalendarDate(ok), true, ok);
  for (const bad of ["2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-1-1", "24-01-01", "2024-01-01T00:00"]) assert.equal(isCalendarDate(bad), false, bad);
});
