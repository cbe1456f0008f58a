#!/usr/bin/env node
// Reads the logs of a cluster that `repl-lab live FILE --keep` left running and
// prints, for every leader crash it finds, when each surviving replica was
// re-pointed at the new leader (Patroni's reload of primary_conninfo), whether
// its first connection failed because its replication slot did not exist yet,
// and when it started streaming, all relative to the broken stream (≈ the kill)
// and to the new leader's promotion. Evidence for the re-stream timing the
// engine models; nothing here talks to the cluster.
//   node scripts/restream-evidence.mjs /tmp/repl-lab-live-XXXX [--json]
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--"));
const asJson = args.includes("--json");
if (!dir || !existsSync(dir)) {
  console.error("usage: node scripts/restream-evidence.mjs RUN_FOLDER [--json]   (the folder `repl-lab live --keep` prints)");
  process.exit(2);
}

// PostgreSQL: "2026-11-30 03:38:55.139 UTC [15663] FATAL: ..."; Patroni: "2026-11-30 03:38:55,148 INFO: ..." (both UTC).
const LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)[.,](\d{3}) (?:UTC \[\d+\] )?(\w+):\s+(.*)$/;

function readNode(name) {
  const text = readFileSync(join(dir, name, "patroni.log"), "utf8");
  const conf = readFileSync(join(dir, name, "patroni.yml"), "utf8");
  const port = Number(String(parse(conf).postgresql.listen).split(":").pop());
  const events = [];
  for (const raw of text.split("\n")) {
    const m = LINE.exec(raw);
    if (!m) continue;
    events.push({ t: Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`), level: m[4], msg: m[5] });
  }
  return { name, port, events };
}

const nodes = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "patroni.log")))
  .map((d) => readNode(d.name));

const fmt = (ms) => (ms === null || ms === undefined ? "–" : `${ms >= 0 ? "+" : ""}${(ms / 1000).toFixed(2)}s`);
const first = (events, from, to, re) => events.find((e) => e.t >= from && e.t <= to && re.test(e.msg)) ?? null;
const all = (events, from, to, re) => events.filter((e) => e.t >= from && e.t <= to && re.test(e.msg));

// A crash breaks the survivors' streams with "could not receive data from WAL stream" (a switchover ends them cleanly).
const breaks = [];
for (const n of nodes) for (const e of n.events) if (/could not receive data from WAL stream/.test(e.msg)) breaks.push(e.t);
breaks.sort((a, b) => a - b);
const episodes = [];
for (const t of breaks) if (episodes.length === 0 || t - episodes[episodes.length - 1] > 30_000) episodes.push(t);

const report = [];
for (const broke of episodes) {
  const until = broke + 40_000;
  // The first node to take the lock after the break (a later switchover back also logs a promotion).
  let winner = null;
  let winnerAt = Infinity;
  for (const n of nodes) {
    const e = first(n.events, broke, until, /promoted self to leader by acquiring session lock/);
    if (e && e.t < winnerAt) [winner, winnerAt] = [n, e.t];
  }
  if (!winner) continue;
  const promoted = first(winner.events, broke, until, /received promote request/)?.t ?? first(winner.events, broke, until, /promoted self to leader/).t;
  const lockSeen = Math.min(
    ...nodes.map((n) => first(n.events, broke, until, new RegExp(`Lock owner: ${winner.name}; I am`))?.t ?? Infinity),
    first(winner.events, broke, until, /promoted self to leader/).t,
  );
  const killed = nodes.filter((n) => n !== winner && !first(n.events, broke - 50, until, /could not receive data from WAL stream/)).map((n) => n.name);
  const leaderCycle = first(winner.events, promoted + 1, until, /the leader with the lock/)?.t ?? null;
  const syncs = all(winner.events, promoted, until, /is now a synchronous standby/).map((e) => ({ at: e.t, what: e.msg }));
  const survivors = [];
  for (const n of nodes) {
    if (n === winner || killed.includes(n.name)) continue;
    const repoint = first(n.events, broke, until, new RegExp(`parameter "primary_conninfo" changed to ".*port=${winner.port} `));
    const from = repoint?.t ?? broke;
    const streams = first(n.events, from, until, /(started|restarted) WAL streaming|started streaming WAL/);
    const slotFailures = all(n.events, broke, streams?.t ?? until, /replication slot ".*" does not exist/).map((e) => e.t);
    const retriesBefore = all(n.events, broke, from, /could not connect to the primary server/).map((e) => e.t);
    const why = first(n.events, broke, until, /following a different leader because|following new leader after/);
    survivors.push({
      node: n.name,
      retriesToDeadLeader: retriesBefore.map((t) => t - broke),
      repointMs: repoint ? repoint.t - broke : null,
      repointAfterLockMs: repoint ? repoint.t - lockSeen : null,
      slotMissingMs: slotFailures.map((t) => t - broke),
      streamsMs: streams ? streams.t - broke : null,
      streamsAfterPromoteMs: streams ? streams.t - promoted : null,
      streamsAfterRepointMs: streams && repoint ? streams.t - repoint.t : null,
      patroni: why?.msg ?? null,
    });
  }
  report.push({
    brokeAt: new Date(broke).toISOString(),
    killed,
    newLeader: winner.name,
    lockSeenMs: lockSeen - broke,
    promoteMs: promoted - broke,
    leaderNextCycleMs: leaderCycle === null ? null : leaderCycle - broke,
    syncStandbys: syncs.map((s) => ({ atMs: s.at - broke, what: s.what })),
    survivors,
  });
}

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  if (report.length === 0) console.log("no leader crash found in these logs");
  for (const ep of report) {
    console.log(`crash at ${ep.brokeAt} (stream broke; killed ${ep.killed.join(", ") || "?"}): ${ep.newLeader} took the lock ${fmt(ep.lockSeenMs)}, promote ${fmt(ep.promoteMs)}, its next HA cycle (member slots) ${fmt(ep.leaderNextCycleMs)}`);
    for (const s of ep.syncStandbys) console.log(`  ${fmt(s.atMs)} new leader: ${s.what}`);
    for (const s of ep.survivors) {
      console.log(
        `  ${s.node}: retries to the dead leader ${s.retriesToDeadLeader.map(fmt).join(" ") || "–"}; re-pointed ${fmt(s.repointMs)} (lock ${fmt(s.repointAfterLockMs)}); slot missing ${s.slotMissingMs.map(fmt).join(" ") || "never"}; streams ${fmt(s.streamsMs)} (promote ${fmt(s.streamsAfterPromoteMs)}, re-point ${fmt(s.streamsAfterRepointMs)})`,
      );
      if (s.patroni) console.log(`      Patroni: ${s.patroni}`);
    }
  }
}
