// Every duration the engine uses as a period, interval or step must be above 0: a period of 0 repeats its
// timer without end at one instant, and simulate hung with its memory growing while validate called the file
// clean (found by a review: loop_wait 0, reconnect backoff 0 or max 0, heartbeat 0 with and without a lease).
// A 0 that means something (archive_timeout 0 = off, a DNS ttl of 0 = no caching, rpo 0) stays allowed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadText } from "../../src/model/load.js";
import { InputError } from "../../src/model/diagnostics.js";
import { formatDuration } from "../../src/base/units.js";

function topology(replication: string, failover: string, backups = "", extra = ""): string {
  return `kind: topology
name: t
preset: patroni
regions: { east: { zones: [a, b, c] } }
nodes:
  a: { zone: east/a, role: leader }
  b: { zone: east/b }
  c: { zone: east/c }
replication: ${replication}
failover: ${failover}
${backups}
data_classes:
  x: { rpo: 0, rto: 30s }
${extra}`;
}

const LF = "{ mode: leader-follower }";
const LEASE = "{ detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s } }";

/** [what, file text, the key whose line the error must name] */
const ZEROS: [string, string, string][] = [
  ["loop_wait", topology(LF, "{ detection: { ttl: 10s, loop_wait: 0, retry_timeout: 3s } }"), "loop_wait"],
  ["a lease ttl", topology(LF, "{ detection: { ttl: 0, loop_wait: 2s, retry_timeout: 3s } }"), "ttl"],
  ["a lease-less heartbeat", topology(LF, "{ detection: { heartbeat: 0, misses: 3 } }"), "heartbeat"],
  ["a consensus heartbeat", topology("{ mode: consensus, election_timeout: 1s, heartbeat: 0 }", "{}"), "heartbeat"],
  ["reconnect backoff", topology(LF, "{ reconnect: { backoff: 0, max: 2s } }"), "backoff"],
  ["reconnect max", topology(LF, "{ reconnect: { backoff: 100ms, max: 0ms } }"), "max"],
  ["a proxy check_interval", topology(LF, "{ endpoint: { kind: proxy, check_interval: 0 } }"), "check_interval"],
  ["a periodic archive's every", topology(LF, LEASE, "backups: { wal_archive: { mode: periodic, every: 0 } }"), "every"],
  ["base_backups every", topology(LF, LEASE, "backups: { base_backups: { every: 0, retain: 7d } }"), "every"],
  ["a drill's every", topology(LF, LEASE, "backups: { drill: { every: 0s, automated: true } }"), "every"],
  ["a logical dump's every", topology(LF, LEASE, "backups: { logical: { classes: [x], every: 0 } }"), "every"],
  ["a sub-millisecond heartbeat", topology(LF, "{ detection: { heartbeat: 0.0001ms, misses: 3 } }"), "heartbeat"],
];

for (const [what, text, key] of ZEROS) {
  test(`${what} of 0 is refused with the file, line and column, and why`, () => {
    let error: unknown;
    try {
      loadText("t.yaml", text);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof InputError, `${what}: accepted`);
    const [d] = error.diagnostics;
    const lines = text.split("\n");
    assert.equal(d.file, "t.yaml");
    assert.ok(lines[d.line - 1].includes(`${key}:`), `${what}: line ${d.line} is "${lines[d.line - 1]}"`);
    assert.match(d.message, /expected a duration of at least 1ms; got .*(a period of 0 would repeat it without end|expire the moment)/);
    assert.doesNotMatch(d.message, /NaN/);
  });
}

test("a 0 that means something stays allowed: archive_timeout 0 (off), a DNS ttl of 0, rpo 0, a 0 fencing time", () => {
  const loaded = loadText(
    "t.yaml",
    topology(LF, "{ fencing_time: 0, promotion: 0, endpoint: { kind: dns, ttl: 0 } }", "backups: { wal_archive: { mode: continuous, archive_timeout: 0 } }"),
  );
  assert.equal(loaded.kind, "topology");
});

test("a scenario's workload timeout of 0 is refused (it gave 0 acked writes beside writes unavailable)", () => {
  const text = `kind: scenario
name: s
duration: 10s
workload: { writes: 10, timeout: 0 }
topology:
${topology(LF, LEASE)
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}`;
  assert.throws(
    () => loadText("s.yaml", text),
    (e: unknown) => e instanceof InputError && e.diagnostics[0].line === 4 && /at least 1ms; got 0 .*time out before any could be acknowledged/.test(e.diagnostics[0].message),
  );
});

test("no NaN reaches the text: a consensus heartbeat of 0 is refused before any budget is computed, and formatDuration refuses NaN outright (validate printed NaNd budgets)", () => {
  assert.throws(() => formatDuration(Number.NaN), /not a number/);
  assert.throws(() => formatDuration(Number.NaN, { style: "parts" }), /not a number/);
  const ok = loadText("t.yaml", topology("{ mode: consensus, election_timeout: 1s, heartbeat: 1ms }", "{}"));
  assert.equal(ok.kind, "topology");
  assert.ok(ok.kind === "topology");
  const d = ok.topology.derived.detection;
  for (const value of [d.ttlMs, d.renewalPeriodMs, d.minMs, d.maxMs]) assert.ok(Number.isFinite(value), `${JSON.stringify(d)}`);
});
