// Write outcomes: acknowledgements, failures and rejections, and what a
// client does after each.
import { ACKED, PENDING, REJECTED } from "../write-log.js";
import { CoreState, EV } from "./state.js";
import { requestFailed, startReconnect } from "./clients.js";



export function writeAck(core: CoreState, id: number, version: number, now: number): void {
  const log = core.log;
  // A settled write was decided long ago: the event is stale (and its slot may hold a newer write).
  if (!log.live(id)) return;
  const i = id & log.mask;
  if (log.version[i] !== version || log.status[i] !== PENDING) return;
  if (!core.shape.ackStillValid(id, now)) {
    core.queue.push(Math.max(now, log.sendMs[i] + core.workload.timeoutMs), EV.WRITE_TIMEOUT, id, ++log.version[i]);
    return;
  }
  log.status[i] = ACKED;
  log.doneMs[i] = now;
  const cls = log.cls[i];
  const m = core.classes[cls];
  if (m.writesAcked++ === 0) m.firstAckMs = now;
  m.lastAckMs = now;
  m.writeLatency.add(now - log.sendMs[i]);
  core.regionWrites[core.network.regionIndex[core.clientPlace[log.client[i]]]].add(now - log.sendMs[i]);
  const client = log.client[i];
  const epoch = log.epoch[i];
  core.recordLastAcked(log.key[i], id, epoch, log.lsn[i]);
  // The session must read everything it has had acknowledged: its position only moves forward. Acks need not come
  // in LSN order (a commit: local write acknowledged before an earlier one waiting for its standby), and a later,
  // lower LSN must not lower it; a newer timeline (a failover) replaces it.
  if (epoch > core.sessionEpoch[client] || (epoch === core.sessionEpoch[client] && log.lsn[i] > core.sessionLsn[client])) {
    core.sessionLsn[client] = log.lsn[i];
    core.sessionEpoch[client] = epoch;
  }
  noteAck(core, log.node[i], now);
}

/** Extends node n's current stretch of acknowledgements to `now`, or opens one when a write sent to it failed since the last. */
function noteAck(core: CoreState, n: number, now: number): void {
  const stretches = n >= 0 ? core.ackStretches[n] : undefined;
  if (stretches === undefined) return;
  const last = stretches[stretches.length - 1];
  if (last !== undefined && !(core.failedSinceAckMs[n] < now)) last.toMs = now;
  else stretches.push({ fromMs: now, toMs: now });
  core.failedSinceAckMs[n] = NaN;
}

export function writeFailed(core: CoreState, id: number, version: number, now: number, timeout: boolean): void {
  const log = core.log;
  if (!log.live(id)) return;
  const i = id & log.mask;
  if (log.version[i] !== version || log.status[i] !== PENDING) return;
  reject(core, id, now);
  const client = log.client[i];
  // A timed-out or refused request tells the client its connection is no good.
  if (timeout || !core.shape.acceptsWrites(core.conn[client])) requestFailed(core, client, log.connMs[i], now);
}

export function reject(core: CoreState, id: number, now: number): void {
  const log = core.log;
  const i = id & log.mask;
  log.status[i] = REJECTED;
  log.doneMs[i] = now;
  const node = log.node[i];
  // The first failure after the node's last acknowledgement (time only moves forward) ends that stretch there.
  const stretches = node >= 0 ? core.ackStretches[node] : undefined;
  if (stretches !== undefined && stretches.length > 0 && Number.isNaN(core.failedSinceAckMs[node]) && now > stretches[stretches.length - 1].toMs) core.failedSinceAckMs[node] = now;
  const cls = log.cls[i];
  const m = core.classes[cls];
  m.writesRejected++;
  if (!(now >= (core.firstFaultMs ?? Infinity))) m.rejectedBeforeFault++;
  const client = log.client[i];
  if (core.conn[client] < 0 && !core.reconnecting[client]) startReconnect(core, client, now);
}
