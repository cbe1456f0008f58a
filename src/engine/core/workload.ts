// The open-loop workload: writes and reads sent by clients, by data class and key.
import { PENDING } from "../write-log.js";
import { CoreState, EV } from "./state.js";
import { startReconnect } from "./clients.js";
import { reject } from "./outcomes.js";



export function pickClass(core: CoreState): number {
  const u = core.trafficRng.next() * core.classCumulative[core.classCumulative.length - 1];
  let i = 0;
  while (i < core.classCumulative.length - 1 && u >= core.classCumulative[i]) i++;
  return i;
}

export function sendWrite(core: CoreState, now: number): void {
  const traffic = core.trafficRng;
  const cls = pickClass(core);
  const key = core.keyStart[cls] + traffic.int(core.keyCount[cls]);
  const client = traffic.int(core.workload.clients);
  // A client in a lost zone is a dead application server: it sends nothing (no write to acknowledge or reject).
  if (core.network.isLost(core.clientPlace[client])) return;
  const log = core.log;
  const id = log.add(now, cls, key, client);
  const i = id & log.mask;
  log.connMs[i] = core.connectedMs[client];
  core.pending.push(id);
  if (!(now >= (core.firstFaultMs ?? Infinity))) core.classes[cls].writesBeforeFault++;
  const second = Math.floor(now / 1000);
  const slot = second % 16;
  if (core.writeSecond[slot] !== second) {
    core.writeSecond[slot] = second;
    core.writesPerSecond[slot] = 0;
  }
  core.writesPerSecond[slot]++;
  const node = core.conn[client];
  const place = core.clientPlace[client];
  if (node < 0) {
    reject(core, id, now);
    return;
  }
  if (core.alive[node] !== 1 || !core.network.reachable(place, node)) {
    core.queue.push(now + core.workload.timeoutMs, EV.WRITE_TIMEOUT, id, ++log.version[i]);
    return;
  }
  if (!core.shape.acceptsWrites(node) && !forwards(core, node)) {
    // A read-only node answers at once: "cannot execute INSERT in a read-only transaction".
    const rtt = core.network.latency(place, node) + core.network.latency(node, place);
    core.queue.push(now + rtt, EV.WRITE_ERROR, id, ++log.version[i]);
    return;
  }
  // The write reaches the leader after the client's link latency; appends must happen in arrival order
  // (group commit and the WAL stream depend on it), so the arrival is an event of its own.
  sendOn(core, id, now + core.network.latency(place, node), node);
}

/**
 * A request on the wire toward `node`, arriving at `arriveMs`. The client waits for it only until its deadline
 * (sent + timeout): one that would arrive later (a slow link, a follower passing it on over one) times out at that
 * deadline, when the client gives up, and is not taken (its outcome cannot wait for an arrival after it).
 */
function sendOn(core: CoreState, id: number, arriveMs: number, node: number): void {
  const log = core.log;
  const i = id & log.mask;
  const deadline = log.sendMs[i] + core.workload.timeoutMs;
  if (arriveMs > deadline) core.queue.push(deadline, EV.WRITE_TIMEOUT, id, ++log.version[i]);
  else core.queue.push(arriveMs, EV.WRITE_ARRIVE, id, node);
}

export function writeArrives(core: CoreState, id: number, node: number, now: number): void {
  const log = core.log;
  const i = id & log.mask;
  if (!log.live(id) || log.status[i] !== PENDING) return;
  // A consensus follower passes the write on to the leader (once); the acknowledgement comes back the same way.
  const leader = log.via[i] < 0 && !core.shape.acceptsWrites(node) ? (core.shape.forwardTo?.(node) ?? -1) : -1;
  if (leader >= 0) {
    log.via[i] = node;
    core.forwardedWrites++;
    sendOn(core, id, now + core.network.latency(node, leader), leader);
    return;
  }
  if (core.alive[node] !== 1 || !core.shape.acceptsWrites(node)) {
    // It died or stepped down while the request was on the wire.
    core.queue.push(Math.max(now, log.sendMs[i] + core.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++log.version[i]);
    return;
  }
  core.shape.appendWrite(id, node, now);
}

/** Whether `node` (which does not lead) passes a client's request on to a leader (consensus followers do). */
function forwards(core: CoreState, node: number): boolean {
  return core.shape.forwardTo !== undefined && core.shape.forwardTo(node) >= 0;
}

export function sendRead(core: CoreState, now: number): void {
  const traffic = core.trafficRng;
  const clsIndex = pickClass(core);
  const key = core.keyStart[clsIndex] + traffic.int(core.keyCount[clsIndex]);
  const client = traffic.int(core.workload.clients);
  // As for writes: a dead application server reads nothing.
  if (core.network.isLost(core.clientPlace[client])) return;
  if (core.shape.read !== undefined && core.shape.read(client, clsIndex, key, now)) return;
  const metrics = core.classes[clsIndex];
  const place = core.clientPlace[client];
  let node = -1;
  const routing = core.readRouting[clsIndex];
  if (routing !== null && core.shape.pickReplica !== undefined) {
    node = core.shape.pickReplica(client, routing, core.readMaxLag[clsIndex], now);
    // Sent to a node the proxy still lists but that no longer answers: a dead host never answers (the client
    // waits out its timeout); a live one whose server is not running (a rebuild) refuses the connection at once.
    // The client's connection to the leader is another one, and stays.
    if (node >= 0 && core.shape.answersReads?.(node) === false) {
      const doneMs = core.alive[node] === 1 ? now + core.network.latency(place, node) + core.network.latency(node, place) : now + core.workload.timeoutMs;
      readOutcome(core, clsIndex, client, now, doneMs, false);
      return;
    }
  }
  if (node < 0) {
    node = core.conn[client];
    if (node < 0) {
      readOutcome(core, clsIndex, client, now, now, false);
      return;
    }
    if (core.alive[node] !== 1 || !core.network.reachable(place, node)) {
      readFails(core, clsIndex, client, now);
      return;
    }
  }
  const there = core.network.latency(place, node);
  let latency = there + core.network.latency(node, place);
  // The node whose state the read returns: a follower that forwards a linearizable read returns the leader's.
  let source = node;
  if (routing === null && core.shape.leaderRead !== undefined) {
    // A consensus group's read goes through the leader's quorum round (a follower's, through the leader it
    // forwards to); a read that nobody can serve, or that would be answered past the timeout, fails.
    const leader = core.shape.forwardTo?.(node) ?? -1;
    if (leader >= 0) {
      source = leader;
      core.forwardedReads++;
    }
    const held = core.shape.leaderRead(node, now, now + there);
    if (!(latency + held <= core.workload.timeoutMs)) {
      readFails(core, clsIndex, client, now);
      return;
    }
    latency += held;
  }
  const latest = core.lastAckedWrite(key);
  if (latest >= 0 && core.shape.visible !== undefined && !core.shape.visible(source, core.lastAckedEpochOf(key), core.lastAckedLsnOf(key), now)) metrics.staleReads++;
  readOutcome(core, clsIndex, client, now, now + latency, true);
}

/** A read that gets no answer: the client gives up at its timeout and treats its connection as broken. */
function readFails(core: CoreState, cls: number, client: number, now: number): void {
  readOutcome(core, cls, client, now, now + core.workload.timeoutMs, false);
  core.queue.push(now + core.workload.timeoutMs, EV.READ_FAIL, client, core.connectedMs[client]);
}

export function readOutcome(core: CoreState, cls: number, client: number, sentMs: number, doneMs: number, ok: boolean): void {
  const m = core.classes[cls];
  core.reads?.count(cls, sentMs, ok, m.staleReads);
  if (ok) {
    m.readsServed++;
    m.readLatency.add(doneMs - sentMs);
    core.regionReads[core.network.regionIndex[core.clientPlace[client]]].add(doneMs - sentMs);
    const open = m.readOutage;
    if (open !== null && sentMs > open.firstErrorMs) {
      open.recoveredMs = doneMs;
      m.readOutage = null;
    }
    m.lastOkReadSendMs = sentMs;
  } else {
    m.readsRejected++;
    // As for writes, a read from a client in a lost zone is a dead application server's: it opens no outage.
    const deadClient = core.network.isLost(core.clientPlace[client]);
    // Before any fault too: reads failing under the run's own load are an outage (charged to no fault).
    if (m.readOutage === null && !deadClient) {
      m.readOutage = { firstErrorMs: sentMs, firstErrorDoneMs: doneMs, lastOkSendMs: m.lastOkReadSendMs, recoveredMs: Infinity };
      m.readOutages.push(m.readOutage);
    }
    if (core.conn[client] < 0 && !core.reconnecting[client]) startReconnect(core, client, sentMs);
  }
}
