// The message for a duration that cannot be read offers examples: it offered "(or the number 0)" and "7d" for a
// scenario's run duration, which refuses 0 (a run of 0 measures nothing) and anything above 6h, so a user who
// took the suggestion got a second error. Every value a duration hint offers must load in the field it is
// offered for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { diagnosticsOf, loads } from "./helpers.js";

const topology = (walSenderBatch: string, ttl: string, rpo: string) => `
  kind: topology
  name: t
  preset: patroni
  regions: { east: { zones: [a, b, c] } }
  nodes:
    a: { zone: east/a, role: leader }
    b: { zone: east/b }
    c: { zone: east/c }
  replication: { mode: leader-follower, wal_sender_batch: ${walSenderBatch} }
  failover: { detection: { ttl: ${ttl}, loop_wait: 1ms, retry_timeout: 1ms } }
  data_classes:
    x: { rpo: ${rpo}, rto: 30s }`;

interface Field {
  name: string;
  text: (value: string) => string;
  /** Whether 0 is a value the field takes. */
  zero: boolean;
}

const scenario = (o: { duration?: string; at?: string; batch?: string; ttl?: string; rpo?: string }) =>
  `kind: scenario\nname: s\nduration: ${o.duration ?? "5h"}\nworkload: { writes: 1 }\nfaults:\n  - { crash: a, at: ${o.at ?? "0"} }\ntopology:${topology(o.batch ?? "0", o.ttl ?? "1h", o.rpo ?? "0")}\n`;

const fields: Field[] = [
  { name: "a scenario's duration (1ms to 6h)", text: (v) => scenario({ duration: v }), zero: false },
  { name: "a fault's at (0 to 6h)", text: (v) => scenario({ at: v }), zero: true },
  { name: "wal_sender_batch (0 to 10s)", text: (v) => scenario({ batch: v }), zero: true },
  { name: "a lease ttl (1ms to 1h)", text: (v) => scenario({ ttl: v }), zero: false },
  { name: "rpo (0 and up)", text: (v) => scenario({ rpo: v }), zero: true },
];

for (const field of fields) {
  test(`every duration the hint offers for ${field.name} is taken there`, () => {
    const diagnostics = diagnosticsOf(field.text("soon"));
    assert.equal(diagnostics.length, 1, diagnostics.map((d) => d.message).join("\n"));
    const message = diagnostics[0].message;
    assert.match(message, /^expected a duration with a unit such as /);
    const offered = [...message.replace(/; got .*$/, "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    assert.ok(offered.length >= 2, message);
    if (/the number 0/.test(message)) offered.push("0");
    assert.equal(offered.includes("0"), field.zero, message);
    for (const value of offered) loads(field.text(value));
  });
}
