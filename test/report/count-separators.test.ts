// Counts in the timeline and the expectations were printed without thousands separators ("catching up 81865
// writes", "applies 1500 writes/s", "7398 connection attempts", "actual 21207") beside counts that had them
// elsewhere in the same report. Every count goes through the shared formatter, in text, markdown and HTML.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runBin } from "../cli/bin.js";

/** A number of four digits or more, not separated, where a count or a rate is printed. */
const BARE = /(?<![\d,.])\d{4,}(?:\/s| writes?\b| connection| timed| lost| acknowledged| log entries| reconnecting| trials)|actual\s+\d{4,}\b|\(\d{4,} lost/;

const scenarios = ["replica-falls-behind", "reconnect-storm-jitter", "mongodb-arbiter-rollback", "consensus-stale-dns", "async-failover-loses-writes", "quorum-three-down-sloppy"];

for (const name of scenarios) {
  test(`${name}: every count has its thousands separators, in text, markdown and HTML`, async () => {
    for (const format of ["text", "markdown", "html"]) {
      const r = await runBin(["simulate", `scenarios/${name}.yaml`, "--format", format, "--width", "80"]);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      // HTML: the page's words, not its scripts and charts' data.
      const words = format === "html" ? r.stdout.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ") : r.stdout;
      const bare = BARE.exec(words.replace(/\s+/g, " "));
      assert.equal(bare, null, `${format}: "${bare?.[0]}" in …${bare ? words.replace(/\s+/g, " ").slice(Math.max(0, bare.index - 60), bare.index + 40) : ""}…`);
    }
  });
}

test("trial seeds that wrap past 4294967295 read as two stretches, not a range running backwards (found by a review: 'seeds 4294967294..1')", async () => {
  const { formatTrialSeeds } = await import("../../src/report/common/format.js");
  assert.equal(formatTrialSeeds(4294967294, 1, 4), "seeds 4294967294..4294967295 and 0..1");
  assert.equal(formatTrialSeeds(7, 56, 50), "seeds 7..56");
  assert.equal(formatTrialSeeds(9, 9, 1), "seed 9");
});
