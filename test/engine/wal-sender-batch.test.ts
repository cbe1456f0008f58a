// wal_sender_batch: a WAL sender that ships on an interval makes every write wait for its next send, so a
// synchronous commit pays about half the interval on average (and never more than all of it); 0 ships each
// flush as it completes, as PostgreSQL's walsender has since 9.2. The knob used to be read and ignored (found by
// a review of the knobs: varying it changed nothing).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { simulate } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

const topology = readFileSync(join(process.cwd(), "topologies/payments.yaml"), "utf8");

function ledgerP50(batch: string): number {
  const text = topology.replace(/^replication:\n  mode: leader-follower\n/m, `replication:\n  mode: leader-follower\n  wal_sender_batch: ${batch}\n`);
  assert.ok(text.includes(`wal_sender_batch: ${batch}`));
  const topo = text.replace(/^kind: topology\n/m, "").replace(/^/gm, "  ");
  const r = simulate(scenarioText(`kind: scenario\nname: batch\nseed: 3\nduration: 30s\nworkload: { writes: 300, clients: 50 }\ntopology:\n  kind: topology\n${topo}`));
  return r.classes.find((c) => c.name === "ledger")!.latency.writeP50Ms!;
}

test("a 20 ms send interval adds about 10 ms to a synchronous commit's median, 0 adds nothing", () => {
  const none = ledgerP50("0ms");
  const twenty = ledgerP50("20ms");
  const extra = twenty - none;
  assert.ok(extra > 6 && extra < 14, `median ${none} ms → ${twenty} ms (+${extra.toFixed(1)} ms)`);
  assert.ok(none < 5, `an in-region sync commit without an interval: ${none} ms`);
});
