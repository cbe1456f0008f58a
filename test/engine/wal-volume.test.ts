// The WAL's volume is the writes a leader appended to it: a write refused before any leader appended it (while
// no leader ran, during a failover) wrote no WAL, so it adds nothing to the bytes a restore replays, to the
// archive's segments or to the replay time. Found by a review: the WAL history counted every write sent, rejected
// ones too (about 7 % of the writes of a run with a failover).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateWithHistory } from "../../src/engine/simulate.js";
import { scenarioText } from "./helpers.js";

const crashThenBadWrite = (seed: number) => `kind: scenario
name: crash-then-bad-write
topology: ${process.cwd()}/topologies/payments.yaml
seed: ${seed}
duration: 3m
workload: { writes: 500, reads: 100, clients: 100 }
faults:
  - { at: 20s, crash: pg-a }
  - { at: 90s, bad_write: { class: accounts, statement: delete, rows: 8%, noticed_after: 5m } }
`;

test("a point-in-time restore replays the WAL of the writes appended, not of the writes the failover rejected", () => {
  for (const seed of [11, 12]) {
    const scenario = scenarioText(crashThenBadWrite(seed));
    const { result, history } = simulateWithHistory(scenario);
    const r = result.recovery!;
    assert.equal(r.method, "pitr", `seed ${seed}`);
    const pitr = r.options.find((o) => o.method === "pitr")!;
    assert.equal(pitr.reason.kind, "replay-archive");
    if (pitr.reason.kind !== "replay-archive") return;
    const backups = scenario.topology.backups!;
    const size = scenario.workload.writeSizeBytes;
    // restoreMs = copying the base backup + replaying the WAL from it to the target, at the replay rate.
    const walBytes = ((pitr.restoreMs! - (backups.restore.dataSizeBytes / backups.restore.throughputBytes) * 1000) / 1000) * backups.restore.walReplayBytes;
    // The base backup is from before the run: the WAL grew at the workload's steady rate up to t=0.
    const beforeRun = -pitr.reason.baseBackupAtMs * (scenario.workload.writes / 1000) * size;
    const w = history.writes;
    let appended = 0;
    let rejected = 0;
    for (let id = 0; id < w.count; id++) {
      if (w.sendMs[id] > pitr.targetAtMs!) continue;
      if (w.lsn[id] >= 0 && w.epoch[id] >= 0) appended++;
      else rejected++;
    }
    assert.ok(rejected > 1000, `seed ${seed}: the failover rejected writes (${rejected})`);
    const inRun = walBytes - beforeRun;
    assert.ok(Math.abs(inRun - appended * size) < size / 2, `seed ${seed}: replayed ${inRun / size} writes' WAL from the run, ${appended} appended, ${rejected} rejected`);
  }
});
