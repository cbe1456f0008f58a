// Watching a live cluster during a run, as raw observations with times: who
// holds Patroni's leader key in etcd (polled every 100 ms) and when that key's
// lease was last renewed, the members' roles and states from GET /cluster
// (who is the synchronous standby), when a new key holder answers GET /primary,
// and the replication lag on the leader (pg_stat_replication). The measurement
// (measure.ts) turns these into the failover timeline.
import type pg from "pg";
import { connect, destroy } from "./writer.js";
import { etcdLeaderKey, etcdLeaseTtl, findPrimary, getCluster, isLeaderRole, isSyncRole, restUrl, httpJson } from "./rest.js";
import { sleep } from "./procs.js";

export type Observation =
  | { atMs: number; kind: "leader-key"; holder: string | null }
  | { atMs: number; kind: "renewed"; holder: string }
  | { atMs: number; kind: "primary"; node: string }
  | { atMs: number; kind: "sync"; leader: string | null; standbys: string[] }
  | { atMs: number; kind: "member"; node: string; role: string; state: string };

export interface LagObservation {
  atMs: number;
  node: string;
  lagBytes: number;
  lagMs: number;
}

export interface MonitorTargets {
  etcdClientPort: number;
  leaderKey: string;
  nodes: { name: string; rest: number; pg: number }[];
  password: string;
}

export class Monitor {
  readonly observations: Observation[] = [];
  readonly lag: LagObservation[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];
  private holder: string | null | undefined = undefined;
  private lease: string | null = null;
  private lastTtl = -1;
  private members = new Map<string, string>();
  private syncKey = "";
  private lagClient: { client: pg.Client; node: string } | null = null;

  constructor(
    private readonly targets: MonitorTargets,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.loops = [this.every(100, () => this.pollKey()), this.every(300, () => this.pollCluster()), this.every(500, () => this.pollLag())];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    if (this.lagClient) destroy(this.lagClient.client);
    this.lagClient = null;
  }

  private async every(ms: number, step: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      const started = Date.now();
      try {
        await step();
      } catch {
        // An observation missed is a gap in the timeline, never a failed run.
      }
      await sleep(Math.max(10, ms - (Date.now() - started)));
    }
  }

  private async pollKey(): Promise<void> {
    const key = await etcdLeaderKey(this.targets.etcdClientPort, this.targets.leaderKey, 300);
    if (key === undefined) return;
    const at = this.now();
    const holder = key === null ? null : key.holder;
    if (holder !== this.holder) {
      this.holder = holder;
      this.lease = key?.lease ?? null;
      this.lastTtl = -1;
      this.observations.push({ atMs: at, kind: "leader-key", holder });
      if (holder !== null) void this.watchPrimary(holder);
    }
    if (holder !== null && this.lease) {
      const ttl = await etcdLeaseTtl(this.targets.etcdClientPort, this.lease, 300);
      // The remaining TTL counts down in whole seconds and jumps back up when the leader renews its lease.
      if (ttl && ttl.ttl > 0) {
        if (ttl.ttl > this.lastTtl && this.lastTtl >= 0) this.observations.push({ atMs: this.now(), kind: "renewed", holder });
        this.lastTtl = ttl.ttl;
      }
    }
  }

  /** When a node takes the leader key, time the moment it answers GET /primary (it is promoted and running). */
  private async watchPrimary(holder: string): Promise<void> {
    const node = this.targets.nodes.find((n) => n.name === holder);
    if (!node) return;
    while (!this.stopping && this.holder === holder) {
      const r = await httpJson(restUrl(node.rest, "/primary"), { timeoutMs: 300 });
      if (r?.status === 200) {
        this.observations.push({ atMs: this.now(), kind: "primary", node: holder });
        return;
      }
      await sleep(50);
    }
  }

  private async pollCluster(): Promise<void> {
    const view = await getCluster(
      this.targets.nodes.map((n) => n.rest),
      300,
    );
    if (!view) return;
    const at = this.now();
    const leader = view.members.find((m) => isLeaderRole(m.role))?.name ?? null;
    const standbys = view.members.filter((m) => isSyncRole(m.role)).map((m) => m.name);
    const key = `${leader}|${standbys.join(",")}`;
    if (key !== this.syncKey) {
      this.syncKey = key;
      this.observations.push({ atMs: at, kind: "sync", leader, standbys });
    }
    for (const m of view.members) {
      const state = `${m.role}/${m.state}`;
      if (this.members.get(m.name) !== state) {
        this.members.set(m.name, state);
        this.observations.push({ atMs: at, kind: "member", node: m.name, role: m.role, state: m.state });
      }
    }
    for (const name of [...this.members.keys()]) {
      if (!view.members.some((m) => m.name === name)) {
        this.members.delete(name);
        this.observations.push({ atMs: at, kind: "member", node: name, role: "gone", state: "gone" });
      }
    }
  }

  private async pollLag(): Promise<void> {
    if (!this.lagClient) {
      const primary = await findPrimary(this.targets.nodes, 300);
      const node = this.targets.nodes.find((n) => n.name === primary);
      if (!node) return;
      this.lagClient = { client: await connect(node.pg, this.targets.password, { timeoutMs: 500, applicationName: "repl-lab-monitor" }), node: node.name };
    }
    const { client, node } = this.lagClient;
    try {
      const r = await Promise.race([
        client.query(
          "SELECT application_name AS name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS bytes, coalesce(extract(epoch FROM replay_lag) * 1000, 0)::float8 AS ms FROM pg_stat_replication",
        ),
        sleep(400).then(() => {
          throw new Error("lag query timed out");
        }),
      ]);
      const at = this.now();
      for (const row of r.rows as { name: string; bytes: number | null; ms: number }[]) {
        if (row.bytes !== null) this.lag.push({ atMs: at, node: row.name, lagBytes: Math.max(0, row.bytes), lagMs: Math.max(0, row.ms) });
      }
    } catch {
      destroy(client);
      this.lagClient = null;
    }
    void node;
  }
}
