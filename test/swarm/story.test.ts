// Stories: one line made from the schedule and what it cost.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SimulationResult } from "../../src/engine/result.js";
import type { Layout } from "../../src/swarm/schedule.js";
import { outcomeText, scheduleText } from "../../src/swarm/story.js";

const layout: Layout = {
  mode: "leader-follower",
  leader: "pg-a",
  nodes: [
    { name: "pg-a", zone: "us-east/a", region: "us-east" },
    { name: "pg-b", zone: "us-east/b", region: "us-east" },
  ],
  zones: ["us-east/a", "us-east/b"],
  regions: ["us-east"],
};

test("the schedule in order, with the gaps between faults, naming the leader's zone", () => {
  const text = scheduleText(layout, [
    { atMs: 30_000, action: { crash: "pg-b" } },
    { atMs: 20_000, forMs: 40_000, action: { partition: [["us-east/a"], ["us-east/b"]] } },
    { atMs: 30_000, action: { crash: "pg-a" } },
    { atMs: 45_000, forMs: 5_000, action: { stall: "pg-a" } },
  ]);
  assert.equal(text, "a partition isolates the leader's zone us-east/a for 40s, then 10s later pg-b crashes, and at once the leader (pg-a) crashes, then 15s later pg-a's WAL sender stalls for 5s");
});

test("the outcome, worst first", () => {
  const result = {
    totals: { splitBrainMs: 35_400, writesLost: 4179, staleReads: 0, writeUnavailableMs: 41_000 },
    classes: [
      { name: "carts", rpo: { lostAckedWrites: 4000 }, rto: { writeMs: 40_000 } },
      { name: "orders", rpo: { lostAckedWrites: 179 }, rto: { writeMs: 1_000 } },
    ],
  } as unknown as SimulationResult;
  assert.equal(outcomeText(result), "two leaders for 35.4s, 4,179 acknowledged writes lost (4,000 carts, 179 orders), writes down for 40s at the longest");
  // Many short outages add up: the story says so beside the longest (found by a review: "down for 7.1s" beside 1m20s unavailable).
  const scattered = { ...result, totals: { ...result.totals, writeUnavailableMs: 80_100 } } as unknown as SimulationResult;
  assert.match(outcomeText(scattered), /writes down for 40s at the longest \(1m20\.1s in all\)/);
  const never = { totals: { splitBrainMs: 0, writesLost: 0, staleReads: 0 }, classes: [{ name: "x", rpo: { lostAckedWrites: 0 }, rto: { writeMs: null } }] } as unknown as SimulationResult;
  assert.equal(outcomeText(never), "writes never recover");
});
