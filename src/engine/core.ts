// The shared core every replication shape runs on: the clock and event queue,
// the seeded randomness, the network, the open-loop workload and its clients
// (connections, endpoint, reconnects with backoff and jitter, the new leader's
// accept rate), the write log, and the measurements. A shape (leader/follower
// today) decides where writes go and when they commit.
import type { ResolvedFault } from "../model/types.js";
import { CoreState, EV, MAX_EVENTS, MAX_EVENTS_AT_ONE_INSTANT } from "./core/state.js";
import { requestFailed, reconnect, synRetransmit, connected, endpointSwitched, proxyNodeDown, proxyMarkedDown } from "./core/clients.js";
import { writeAck, writeFailed } from "./core/outcomes.js";
import { sendWrite, writeArrives, sendRead, readOutcome } from "./core/workload.js";
import { applyFault, endFault, recordBadWrite } from "./core/faults.js";

export { EV, MAX_EVENTS, MAX_EVENTS_AT_ONE_INSTANT, type Shape } from "./core/state.js";

/** The events of clients and their requests: none of them changes who acknowledges what (see CoreState.generation). */
const CLIENT_EVENT = new Uint8Array(64);
for (const kind of [EV.WRITE_ACK, EV.WRITE_TIMEOUT, EV.WRITE_ERROR, EV.RECONNECT, EV.SYN_RETRANSMIT, EV.CONNECTED, EV.READ_FAIL, EV.PROXY_DOWN, EV.WRITE_ARRIVE]) CLIENT_EVENT[kind] = 1;

export class Core extends CoreState {
  run(faults: ResolvedFault[]): void {
    faults.forEach((f, i) => this.queue.push(f.atMs, EV.FAULT, i));
    this.shape.start();
    const traffic = this.trafficRng;
    const writeRate = this.workload.writes / 1000;
    // A shape that can tell when a write is settled lets the log fold it; otherwise (or when the whole history
    // is wanted) the log keeps every write and is sized for the expected count at once.
    if (!this.keepHistory && this.shape.settledLsn !== undefined) this.log.settler = (now) => this.settle(now);
    else this.log.reserve(Math.ceil(this.workload.writes * (this.endMs / 1000) * 1.05) + 1024);
    const readRate = this.workload.reads / 1000;
    let nextWrite = writeRate > 0 ? traffic.exponential(writeRate) : Infinity;
    let nextRead = readRate > 0 ? traffic.exponential(readRate) : Infinity;
    const settleMs = this.endMs + this.workload.timeoutMs + 1;
    const event = { time: 0, kind: 0, a: 0, b: 0 };
    // Events at the current instant: a clock that stops (a period of 0) must end the run, not hang it.
    let instant = -1;
    let atInstant = 0;
    for (;;) {
      const queued = this.queue.peekTime();
      if (nextWrite <= nextRead && nextWrite < queued && nextWrite < this.endMs) {
        sendWrite(this, nextWrite);
        nextWrite += traffic.exponential(writeRate);
      } else if (nextRead < queued && nextRead < this.endMs) {
        sendRead(this, nextRead);
        nextRead += traffic.exponential(readRate);
      } else {
        if (queued > settleMs || !this.queue.pop(event)) break;
        if (++this.events > MAX_EVENTS) throw new Error(`the run exceeded the limit of ${MAX_EVENTS.toLocaleString("en-US")} events (at ${event.time} ms of simulated time)`);
        if (event.time !== instant) {
          instant = event.time;
          atInstant = 0;
        } else if (++atInstant > MAX_EVENTS_AT_ONE_INSTANT) {
          throw new Error(
            `the simulated clock stopped at ${event.time} ms: more than ${MAX_EVENTS_AT_ONE_INSTANT.toLocaleString("en-US")} events at that one instant (the last of kind ${event.kind}); a timer with a period of 0 reached the engine`,
          );
        }
        this.dispatch(event.kind, event.a, event.b, event.time, faults);
      }
    }
    this.events += this.log.count;
  }

  private dispatch(kind: number, a: number, b: number, now: number, faults: ResolvedFault[]): void {
    if (!CLIENT_EVENT[kind]) this.generation++;
    switch (kind) {
      case EV.FAULT:
        return applyFault(this, faults[a], now, a);
      case EV.FAULT_END:
        return endFault(this, faults[a], now, b);
      case EV.WRITE_ACK:
        return writeAck(this, a, b, now);
      case EV.WRITE_TIMEOUT:
        return writeFailed(this, a, b, now, true);
      case EV.WRITE_ERROR:
        return writeFailed(this, a, b, now, false);
      case EV.RECONNECT:
        return reconnect(this, a, now);
      case EV.SYN_RETRANSMIT:
        return synRetransmit(this, a, b, now);
      case EV.CONNECTED:
        return connected(this, a, b, now);
      case EV.READ_FAIL:
        return requestFailed(this, a, b, now);
      case EV.PROXY_DOWN:
        return proxyMarkedDown(this, a, now);
      case EV.WRITE_ARRIVE:
        return writeArrives(this, a, b, now);
      default:
        return this.shape.handle(kind, a, b, now);
    }
  }

  /** The endpoint now routes to the new leader (proxy: after its checks pass; DNS: the record changed). */
  endpointSwitched(node: number, now: number): void {
    endpointSwitched(this, node, now);
  }

  /** A node stopped answering as the primary (died, demoted, stepped down): a proxy marks it down after `fall` failed checks and cuts its sessions. */
  proxyNodeDown(node: number, now: number): void {
    proxyNodeDown(this, node, now);
  }

  readOutcome(cls: number, client: number, sentMs: number, doneMs: number, ok: boolean): void {
    readOutcome(this, cls, client, sentMs, doneMs, ok);
  }

  recordBadWrite(fault: ResolvedFault & { kind: "bad_write" }, atMs: number, blocked: boolean, replicatedInMs: number | null): void {
    recordBadWrite(this, fault, atMs, blocked, replicatedInMs);
  }
}
