// The split-brain line names the two leaders in the plural of the run's own word: two primaries (MongoDB), two
// sources (MySQL), two leaders (PostgreSQL, Raft). It read "two primarys" for a MongoDB replica set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEntry } from "../../../src/report/simulate/timeline.js";

const entry = { event: "split-brain", atMs: 1000, node: "a and b" } as const;

test("the split-brain line says two primaries, two sources, two leaders", () => {
  assert.match(describeEntry(entry, { firstFaultMs: 0, mode: "leader-follower", preset: "mongodb" }), /two primaries$/);
  assert.match(describeEntry(entry, { firstFaultMs: 0, mode: "leader-follower", preset: "mysql-semisync" }), /two sources$/);
  assert.match(describeEntry(entry, { firstFaultMs: 0, mode: "leader-follower", preset: "patroni" }), /two leaders$/);
});
