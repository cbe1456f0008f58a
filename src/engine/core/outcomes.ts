// Write outcomes: acknowledgements, failures and rejections, and what a
// client does after each.
import { ACKED, PENDING, REJECTED } from "../write-log.js";
import { CoreState, EV } from "./state.js";
import { connectionBroken, startReconnect } from "./clients.js";



export function writeAck(core: CoreState, id: number, version: number, now: number): void {
  const log = core.log;
  if (log.version[id] !== version || log.status[id] !== PENDING) return;
  if (!core.shape.ackStillValid(id, now)) {
    core.queue.push(Math.max(now, log.sendMs[id] + core.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++log.version[id]);
    return;
  }
  log.status[id] = ACKED;
  log.doneMs[id] = now;
  const cls = log.cls[id];
  const m = core.classes[cls];
  m.writesAcked++;
  m.writeLatency.add(now - log.sendMs[id]);
  core.regionWrites[core.network.regionIndex[core.clientPlace[log.client[id]]]].add(now - log.sendMs[id]);
  const client = log.client[id];
  if (log.sendMs[id] > core.recovery.firstErrorMs[client] && now < core.recovery.recoveredMs[client]) core.recovery.recoveredMs[client] = now;
  const key = log.key[id];
  if (core.lastAcked instanceof Int32Array) core.lastAcked[key] = id;
  else core.lastAcked.set(key, id);
  core.sessionLsn[client] = log.lsn[id];
  core.sessionEpoch[client] = log.epoch[id];
  const epoch = log.epoch[id];
  if (core.epochAckFirst[epoch] === undefined) core.epochAckFirst[epoch] = now;
  core.epochAckLast[epoch] = now;
}

export function writeFailed(core: CoreState, id: number, version: number, now: number, timeout: boolean): void {
  const log = core.log;
  if (log.version[id] !== version || log.status[id] !== PENDING) return;
  reject(core, id, now);
  const client = log.client[id];
  // A timed-out or refused request tells the client its connection is no good.
  if (timeout || !core.shape.acceptsWrites(core.conn[client])) connectionBroken(core, client, now);
}

export function reject(core: CoreState, id: number, now: number): void {
  const log = core.log;
  log.status[id] = REJECTED;
  log.doneMs[id] = now;
  const cls = log.cls[id];
  const m = core.classes[cls];
  m.writesRejected++;
  const sent = log.sendMs[id];
  // A client in a lost zone is a dead application server: like its writes' outages, its wait is not a user's.
  if (core.firstFaultMs !== null && sent >= core.firstFaultMs && log.clientLost[id] === 0) {
    const client = log.client[id];
    if (sent < core.recovery.firstErrorMs[client]) core.recovery.firstErrorMs[client] = sent;
  }
  const client = log.client[id];
  if (core.conn[client] < 0 && !core.reconnecting[client]) startReconnect(core, client, now);
}
