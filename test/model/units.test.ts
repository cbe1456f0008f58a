// The value syntaxes of SPEC §2: durations, sizes (binary units), throughputs,
// shares and PostgreSQL's synchronous_standby_names, with properties where a
// law is natural (round trips, monotonicity, unit ratios).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LIMITS } from "../../src/model/schema.js";
import { formatDuration, formatSize, parseDuration, parseShare, parseSize, parseSyncStandbys, parseThroughput, type Parsed } from "../../src/base/units.js";

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) assert.fail(parsed.message);
  return parsed.value;
}

function fails<T>(parsed: Parsed<T>, message: RegExp): void {
  assert.equal(parsed.ok, false, `expected a failure, got ${JSON.stringify(parsed)}`);
  if (!parsed.ok) assert.match(parsed.message, message);
}

// ---------------------------------------------------------------------------
// Durations

test("durations: every unit, decimals, compound forms, and 0", () => {
  const cases: [unknown, number][] = [
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["5min", 300_000],
    ["1h", 3_600_000],
    ["7d", 7 * 86_400_000],
    ["2w", 14 * 86_400_000],
    ["1.5m", 90_000],
    ["0.5s", 500],
    ["1h30m", 5_400_000],
    ["2m30s", 150_000],
    ["1d12h", 36 * 3_600_000],
    ["30 s", 30_000],
    [" 30s ", 30_000],
    [0, 0],
    ["0", 0],
    ["0s", 0],
  ];
  for (const [input, ms] of cases) assert.equal(ok(parseDuration(input)), ms, String(input));
});

test("durations: a bare number is refused with a hint to add a unit (only 0 may go without)", () => {
  fails(parseDuration(30), /got the bare number 30 — add a unit/);
  fails(parseDuration(0.5), /bare number 0.5/);
  fails(parseDuration("30"), /expected a duration with a unit such as "500ms", "30s", "5m", "1h" or "7d" \(or the number 0\); got "30"/);
});

test("durations: malformed text, wrong types", () => {
  for (const input of ["", " ", "30x", "-5s", "1e3s", "s", "1h 30m", "30S", "1.s", "5mins"]) fails(parseDuration(input), /expected a duration/);
  fails(parseDuration(null), /got null/);
  fails(parseDuration(true), /got boolean true/);
  fails(parseDuration({ s: 1 }), /got a mapping/);
  fails(parseDuration(["1s"]), /got a list/);
});

test("property: a compound duration is the sum of its parts", () => {
  fc.assert(
    fc.property(fc.nat(1000), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
      assert.equal(ok(parseDuration(`${h}h${m}m${s}s${ms}ms`)), ((h * 60 + m) * 60 + s) * 1000 + ms);
    }),
  );
});

test("property: formatDuration then parseDuration gives the value back within the display rounding", () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: LIMITS.durationMs, noNaN: true }), (ms) => {
      const text = formatDuration(ms);
      const back = ok(parseDuration(text));
      // One decimal of the unit shown: at most 5% of the value (2.5% for days), or 0.005 ms below a millisecond.
      assert.ok(Math.abs(back - ms) <= 0.05 * ms + 0.005, `${ms} → ${text} → ${back}`);
    }),
  );
});

test("formatDuration picks a readable unit", () => {
  assert.equal(formatDuration(0), "0");
  assert.equal(formatDuration(0.25), "0.25ms");
  assert.equal(formatDuration(500), "500ms");
  assert.equal(formatDuration(30_000), "30s");
  assert.equal(formatDuration(90_000), "1.5m");
  assert.equal(formatDuration(3_600_000), "1h");
  assert.equal(formatDuration(7 * 86_400_000), "7d");
  assert.equal(formatDuration(Infinity), "∞");
});

// ---------------------------------------------------------------------------
// Sizes and throughputs

test("sizes use binary units, as PostgreSQL and Patroni do: 1MB = 1,048,576 bytes", () => {
  const cases: [unknown, number][] = [
    ["1KB", 1024],
    ["1MB", 1_048_576],
    ["16MB", 16 * 1_048_576],
    ["500GB", 500 * 1024 ** 3],
    ["2TB", 2 * 1024 ** 4],
    ["1MiB", 1_048_576],
    ["1kb", 1024],
    ["1.5KB", 1536],
    ["1 GB", 1024 ** 3],
    ["512B", 512],
    ["512", 512],
    [512, 512],
    [0, 0],
  ];
  for (const [input, bytes] of cases) assert.equal(ok(parseSize(input)), bytes, String(input));
});

test("sizes: unknown units, negative numbers and nonsense are refused", () => {
  fails(parseSize("1PB"), /"PB" is not a size unit/);
  fails(parseSize("1XB"), /"XB" is not a size unit/);
  fails(parseSize(-1), /expected a size such as "1KB", "1MB" or "500GB" \(binary units: 1MB = 1,048,576 bytes\)/);
  fails(parseSize("-1MB"), /expected a size/);
  fails(parseSize("MB"), /expected a size/);
  fails(parseSize(null), /got null/);
});

test("property: parseSize is monotonic in the number, for every unit", () => {
  const unit = fc.constantFrom("B", "KB", "MB", "GB", "TB");
  fc.assert(
    fc.property(fc.nat(1_000_000), fc.nat(1_000_000), unit, (a, b, u) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      assert.ok(ok(parseSize(`${lo}${u}`)) <= ok(parseSize(`${hi}${u}`)));
    }),
  );
});

test("property: each unit is 1024 of the one below it", () => {
  const units = ["B", "KB", "MB", "GB", "TB"];
  fc.assert(
    fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 4 }), (n, i) => {
      assert.equal(ok(parseSize(`${n * 1024}${units[i - 1]}`)), ok(parseSize(`${n}${units[i]}`)));
    }),
  );
});

test("formatSize shows binary units", () => {
  assert.equal(formatSize(1_048_576), "1MB");
  assert.equal(formatSize(1536), "1.5KB");
  assert.equal(formatSize(500), "500B");
});

test("throughputs: a size per second", () => {
  assert.equal(ok(parseThroughput("200MB/s")), 200 * 1_048_576);
  assert.equal(ok(parseThroughput(" 1 GB / s ")), 1024 ** 3);
  fails(parseThroughput("200MB"), /expected a throughput such as "200MB\/s"/);
  fails(parseThroughput("200MB/min"), /expected a throughput/);
  fails(parseThroughput("fast/s"), /expected a throughput/);
  fails(parseThroughput(200), /got number 200/);
});

test("a throughput made of a long run of spaces is refused at once (no regular-expression backtracking)", () => {
  fails(parseThroughput(`1${" ".repeat(200_000)}x`), /expected a throughput/);
});

// ---------------------------------------------------------------------------
// Shares

test("shares: fractions and percentages", () => {
  assert.equal(ok(parseShare(0.4)), 0.4);
  assert.equal(ok(parseShare("40%")), 0.4);
  assert.equal(ok(parseShare("12.5%")), 0.125);
  assert.equal(ok(parseShare(" 5 % ")), 0.05);
  assert.equal(ok(parseShare(0)), 0);
  assert.equal(ok(parseShare(1)), 1);
  assert.equal(ok(parseShare("100%")), 1);
});

test("shares: above 1 (or 100%), negative, or a string without % are refused", () => {
  fails(parseShare(1.5), /expected a share: a fraction from 0 to 1 \(0.4\) or a percentage \("40%"\); got 1.5/);
  fails(parseShare("140%"), /got "140%"/);
  fails(parseShare(-0.1), /expected a share/);
  fails(parseShare("0.4"), /got "0.4"/);
  fails(parseShare("%"), /expected a share/);
});

test('property: "p%" and p/100 are the same share', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), (tenths) => {
      const percent = tenths / 10;
      assert.ok(Math.abs(ok(parseShare(`${percent}%`)) - percent / 100) < 1e-12);
    }),
  );
});

// ---------------------------------------------------------------------------
// synchronous_standby_names

test("FIRST n (list), ANY n (list), n (list) and a bare list, as PostgreSQL reads them", () => {
  assert.deepEqual(ok(parseSyncStandbys("FIRST 2 (a, b, c)")), { method: "first", count: 2, names: ["a", "b", "c"] });
  assert.deepEqual(ok(parseSyncStandbys("ANY 1 (a,b)")), { method: "any", count: 1, names: ["a", "b"] });
  assert.deepEqual(ok(parseSyncStandbys("2 (a, b)")), { method: "first", count: 2, names: ["a", "b"] });
  assert.deepEqual(ok(parseSyncStandbys("a, b")), { method: "first", count: 1, names: ["a", "b"] });
  assert.deepEqual(ok(parseSyncStandbys("pg-b")), { method: "first", count: 1, names: ["pg-b"] });
  assert.deepEqual(ok(parseSyncStandbys(["a", "b"])), { method: "first", count: 1, names: ["a", "b"] });
  assert.deepEqual(ok(parseSyncStandbys("any 1 (a)")), { method: "any", count: 1, names: ["a"] });
  assert.deepEqual(ok(parseSyncStandbys('FIRST 1 ("a", b)')), { method: "first", count: 1, names: ["a", "b"] });
});

test("a count above the names listed, a count of 0, an empty list, a repeated name", () => {
  fails(parseSyncStandbys("ANY 3 (a, b)"), /"ANY 3 \(a, b\)" asks for 3 synchronous standbys but lists only 2/);
  fails(parseSyncStandbys("FIRST 0 (a)"), /must be at least 1; got 0/);
  fails(parseSyncStandbys("FIRST 1 ()"), /the list of standbys is empty/);
  fails(parseSyncStandbys([]), /the list is empty/);
  fails(parseSyncStandbys("ANY 2 (b, b)"), /names "b" twice/);
  fails(parseSyncStandbys(["b", "b"]), /names "b" twice/);
});

test("syntax PostgreSQL would reject is refused with the expected forms", () => {
  for (const input of ["*", "FIRST (a, b)", "ANY 1 a, b", "(a, b", "a,,b", ""]) {
    fails(parseSyncStandbys(input), /expected PostgreSQL synchronous_standby_names syntax: "FIRST n \(a, b\)", "ANY n \(a, b\)" or a list of node names/);
  }
  fails(parseSyncStandbys(3), /got number 3/);
});

test("property: FIRST/ANY n over distinct names parses back to what was written", () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(names, fc.constantFrom("FIRST", "ANY"), fc.nat(), (list, method, k) => {
      const count = (k % list.length) + 1;
      assert.deepEqual(ok(parseSyncStandbys(`${method} ${count} (${list.join(", ")})`)), { method: method.toLowerCase(), count, names: list });
    }),
  );
});
