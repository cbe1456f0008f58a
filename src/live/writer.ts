// The live workload: a few connections per data class, each inserting rows with
// increasing ids at the class's share of the write rate, recording the send
// time, the outcome and the time of every acknowledgement. After an error a
// connection does what a real client does: it asks the nodes which one is the
// primary now (Patroni's GET /primary), connects, checks pg_is_in_recovery(),
// and carries on.
import pg from "pg";
import type { WriterPlan } from "./plan.js";
import { findPrimary } from "./rest.js";
import { LOOPBACK, USERS } from "./config.js";
import { sleep } from "./procs.js";

export const TABLE = "repl_lab_writes";

export interface WriteRecord {
  /** Index of the data class in the topology. */
  cls: number;
  id: number;
  conn: number;
  sendMs: number;
  doneMs: number;
  ok: boolean;
  /** The node the write was sent to. */
  node: string;
  error?: string;
}

export interface WriterEvent {
  atMs: number;
  conn: number;
  kind: "connected" | "error";
  node: string;
  detail: string;
}

export interface WriterTarget {
  name: string;
  rest: number;
  pg: number;
}

type Client = pg.Client;

/** Connects to a node as the superuser; resolves only with a usable client. */
export async function connect(port: number, password: string, options: { timeoutMs: number; applicationName: string }): Promise<Client> {
  const client = new pg.Client({
    host: LOOPBACK,
    port,
    user: USERS.superuser,
    password,
    database: "postgres",
    connectionTimeoutMillis: options.timeoutMs,
    keepAlive: true,
    application_name: options.applicationName,
  });
  // An idle client whose server dies emits "error"; unhandled, that would end the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    destroy(client);
    throw error;
  }
  return client;
}

/** Drops a connection at once, without waiting for a server that may be gone or stuck. */
export function destroy(client: Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  try {
    stream?.destroy();
  } catch {
    // Already closed.
  }
  client.end().catch(() => undefined);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms}ms (client timeout)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Writer {
  readonly records: WriteRecord[] = [];
  readonly events: WriterEvent[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly nextId: number[];
  private readonly clients = new Set<Client>();

  constructor(
    private readonly plan: WriterPlan,
    private readonly targets: readonly WriterTarget[],
    private readonly password: string,
    private readonly run: number,
    /** Milliseconds since the run started. */
    private readonly now: () => number,
  ) {
    this.nextId = new Array(Math.max(0, ...plan.classes.map((c) => c.index)) + 1).fill(1);
  }

  start(): void {
    let conn = 0;
    for (const cls of this.plan.classes) {
      const intervalMs = (1000 * cls.connections) / Math.max(cls.writesPerSecond, 1e-3);
      for (let k = 0; k < cls.connections; k++) {
        const id = conn++;
        // Spread the connections of a class over one interval, so their writes interleave.
        this.loops.push(this.loop(id, cls.index, cls.commit, intervalMs, (k * intervalMs) / cls.connections));
      }
    }
  }

  /** Stops issuing writes, waits for those in flight (bounded by the client timeout) and closes every connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.race([Promise.all(this.loops), sleep(this.plan.timeoutMs + 3000)]);
    for (const c of this.clients) destroy(c);
    this.clients.clear();
  }

  private async loop(conn: number, cls: number, commit: string, intervalMs: number, offsetMs: number): Promise<void> {
    let client: Client | null = null;
    let node = "";
    let next = this.now() + offsetMs;
    let lostAt: number | null = null;
    while (!this.stopping) {
      if (client === null) {
        const found = await this.findAndConnect(conn, commit);
        if (!found) continue;
        ({ client, node } = found);
        if (lostAt !== null) next = this.now();
        lostAt = null;
      }
      const wait = next - this.now();
      if (wait > 0) await sleep(wait);
      if (this.stopping) break;
      next = Math.max(next + intervalMs, this.now() - intervalMs);
      const id = this.nextId[cls]++;
      const sendMs = this.now();
      try {
        await withTimeout(client.query({ name: "repl-lab-insert", text: `INSERT INTO ${TABLE} (run, class, id) VALUES ($1, $2, $3)`, values: [this.run, cls, id] }), this.plan.timeoutMs, "write");
        this.records.push({ cls, id, conn, sendMs, doneMs: this.now(), ok: true, node });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const doneMs = this.now();
        this.records.push({ cls, id, conn, sendMs, doneMs, ok: false, node, error: message });
        this.events.push({ atMs: doneMs, conn, kind: "error", node, detail: message });
        this.drop(client);
        client = null;
        lostAt = doneMs;
      }
    }
    if (client) this.drop(client);
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    destroy(client);
  }

  /** One attempt: ask the REST APIs for the primary, connect, make sure it is writable. */
  private async findAndConnect(conn: number, commit: string): Promise<{ client: Client; node: string } | null> {
    const primary = await findPrimary(this.targets);
    const target = primary === null ? undefined : this.targets.find((t) => t.name === primary);
    if (!target) {
      await sleep(this.plan.probeIntervalMs);
      return null;
    }
    let client: Client | null = null;
    try {
      client = await connect(target.pg, this.password, { timeoutMs: Math.max(500, this.plan.timeoutMs), applicationName: `repl-lab-writer-${conn}` });
      this.clients.add(client);
      await withTimeout(client.query(`SET synchronous_commit TO '${commit}'`), this.plan.timeoutMs, "set synchronous_commit");
      const r = await withTimeout(client.query("SELECT pg_is_in_recovery() AS recovery"), this.plan.timeoutMs, "pg_is_in_recovery");
      if (r.rows[0]?.recovery !== false) throw new Error(`${target.name} is in recovery (not the primary yet)`);
      this.events.push({ atMs: this.now(), conn, kind: "connected", node: target.name, detail: `connected to ${target.name}` });
      return { client, node: target.name };
    } catch {
      if (client) this.drop(client);
      await sleep(this.plan.probeIntervalMs);
      return null;
    }
  }
}
