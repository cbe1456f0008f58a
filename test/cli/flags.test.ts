// The shared flag parsers: every command words a bad number, seed, trial
// count or format the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFormat, checkSeed, checkWholeNumber, parseIntegerFlag, parseSeedFlag, parseTrialsFlag, parseWholeFlag, pickFormat } from "../../src/cli/flags.js";

test("whole numbers within a range, or a message naming the flag and the range", () => {
  assert.equal(parseIntegerFlag("--runs", " 3 ", 1, 20), 3);
  assert.throws(() => parseIntegerFlag("--schedules", "2.5", 1, 10_000), { message: '--schedules expects a whole number from 1 to 10,000; got "2.5"' });
  assert.throws(() => parseSeedFlag("-1"), { message: '--seed expects a whole number from 0 to 4294967295; got "-1"' });
  assert.equal(parseSeedFlag("4294967295"), 4294967295);
  assert.throws(() => parseTrialsFlag("0"), { message: '--trials expects a whole number from 1 to 10,000; got "0"' });
});

test("a required flag says what it means when missing or malformed", () => {
  assert.throws(() => parseWholeFlag("quorum", "--n", undefined, "replicas per key, 1 to 64"), { message: "quorum needs --n (replicas per key, 1 to 64)" });
  assert.throws(() => parseWholeFlag("quorum", "--r", "x", "replies a read waits for, 1 to N"), { message: '--r expects a whole number (replies a read waits for, 1 to N); got "x"' });
  assert.equal(parseWholeFlag("quorum", "--w", "2", "acks"), 2);
});

test("already parsed numbers: seeds print their bound without separators", () => {
  assert.throws(() => checkSeed(2 ** 32), { message: "--seed expects a whole number from 0 to 4294967295; got 4294967296" });
  assert.throws(() => checkWholeNumber("--trials", 0, 1, 10_000), { message: "--trials expects a whole number from 1 to 10,000; got 0" });
  assert.doesNotThrow(() => checkWholeNumber("--runs", 20, 1, 20));
});

test("--json and --format agree or contradict; a format outside the list is named", () => {
  assert.equal(pickFormat({}), "text");
  assert.equal(pickFormat({ json: true }), "json");
  assert.equal(pickFormat({ json: true, format: "json" }), "json");
  assert.equal(pickFormat({ format: "markdown" }), "markdown");
  assert.throws(() => pickFormat({ json: true, format: "html" }), { message: "--json and --format html contradict each other; pick one" });
  assert.throws(() => checkFormat(["text", "json"], "xml"), { message: '--format expects one of text, json; got "xml"' });
});
