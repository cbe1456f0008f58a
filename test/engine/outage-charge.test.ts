// Which fault an outage is charged to. A write sent a moment before a crash, that the crash kept from
// committing, is that crash's: the fault struck while the request was on its way (found by a review: the
// ledger outage of sync-standby-down-nonstrict was charged to a standby's crash 20 s earlier, counted from
// 39,999.3 ms, while the leader's crash at 40,000 ms caused it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { charge, NO_FAULT, OutageScan } from "../../src/engine/outages.js";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioFrom } from "./helpers.js";

test("a fault that strikes while the first failed request is on its way caused the outage, counted from the fault", () => {
  const o = charge([20_000, 40_000], { firstErrorMs: 39_999.3, firstErrorDoneMs: 40_999.3, lastOkSendMs: 39_998, recoveredMs: 50_744 });
  assert.deepEqual(o, { fault: 1, faultMs: 40_000, startMs: 40_000, firstErrorMs: 39_999.3, recoveredMs: 50_744 });
});

test("a fault after the outage ended, or after the first failure was known, caused nothing in it", () => {
  // Recovered at 140 ms, before the fault at 500 ms: the earlier fault's, counted from the failure.
  assert.deepEqual(charge([0, 500], { firstErrorMs: 100, firstErrorDoneMs: 1100, lastOkSendMs: 90, recoveredMs: 140 }), { fault: 0, faultMs: 0, startMs: 100, firstErrorMs: 100, recoveredMs: 140 });
  // The error came back at 120 ms (a read-only node answering), before the fault at 130 ms.
  assert.deepEqual(charge([0, 130], { firstErrorMs: 100, firstErrorDoneMs: 120, lastOkSendMs: 90, recoveredMs: 200 }), { fault: 0, faultMs: 0, startMs: 100, firstErrorMs: 100, recoveredMs: 200 });
  // A request still undecided at the end (no failure time): its send bounds the faults, as before.
  assert.equal(charge([0, 130], { firstErrorMs: 100, firstErrorDoneMs: NaN, lastOkSendMs: 90, recoveredMs: Infinity })?.fault, 0);
  // Before every fault: no fault caused it (the run's own load), counted from the first failure.
  assert.deepEqual(charge([500], { firstErrorMs: 100, firstErrorDoneMs: 120, lastOkSendMs: 90, recoveredMs: 140 }), { fault: NO_FAULT, faultMs: NaN, startMs: 100, firstErrorMs: 100, recoveredMs: 140 });
  // Failed by the fault at 500 ms while on its way, after later requests had succeeded (140 ms): no outage at all.
  assert.equal(charge([500], { firstErrorMs: 100, firstErrorDoneMs: 1100, lastOkSendMs: 90, recoveredMs: 140 }), null);
});

test("the scan keeps when the first failed request failed", () => {
  const scan = new OutageScan();
  scan.add(10, true, 12);
  scan.add(20, false, 1020);
  scan.add(30, false, 1030);
  scan.add(40, true, 45);
  assert.deepEqual(scan.outages, [{ firstErrorMs: 20, firstErrorDoneMs: 1020, lastOkSendMs: 10, recoveredMs: 45 }]);
});

test("sync-standby-down-nonstrict: the ledger's outage is the leader crash's, from the crash", () => {
  const scenario = scenarioFrom(join(process.cwd(), "scenarios", "sync-standby-down-nonstrict.yaml"));
  const crash = scenario.faults.findIndex((f) => f.kind === "crash" && f.node === "pg-a");
  const r = simulate(scenario);
  for (const name of ["ledger", "accounts"]) {
    // The outage under way at the leader's crash (the standbys' crash 20 s earlier has one of its own, about as long:
    // which of the two is the longest is the run's luck, not what this test is about).
    const crashMs = scenario.faults[crash].atMs;
    const outage = r.classes.find((c) => c.name === name)!.rto.outages!.find((o) => o.firstErrorMs < crashMs + 1_000 && (o.recoveredMs ?? Infinity) > crashMs)!;
    assert.equal(outage.fault, crash, name);
    assert.equal(outage.startMs, crashMs, name);
  }
});
