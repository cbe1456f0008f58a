// A live cluster's life: a fresh temporary folder, free loopback ports, one
// etcd member, one Patroni + PostgreSQL per node (the topology's leader first,
// then its named synchronous standbys, then the rest), health checks through
// the REST API, the faults (kill -9, SIGSTOP/SIGCONT of WAL senders, restart),
// putting the topology's leader back in charge between runs, and a teardown
// that stops every process it started by PID and removes the folder.
import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createServer } from "node:net";
import type pg from "pg";
import { connectionString, etcdArgs, layoutPorts, LOOPBACK, nodePaths, patroniConfig, patroniYaml, portsNeeded, scopeName, type ClusterPaths, type PortLayout, type Secrets } from "./config.js";
import type { LivePlan } from "./plan.js";
import {
  childrenOf,
  isAlive,
  postmasterPid,
  processesMentioning,
  signalChecked,
  sleep,
  startProcess,
  stopChecked,
  waitGone,
  walSenders,
  type RunAs,
  type Started,
} from "./procs.js";
import { etcdHealthy, findPrimary, getCluster, httpJson, isLeaderRole, isSyncRole, restUrl, type ClusterView } from "./rest.js";
import { connect, destroy, TABLE } from "./writer.js";

export interface ClusterTools {
  binDir: string;
  etcd: string;
  patroni: string;
  runAs: RunAs;
}

export interface FaultOutcome {
  event: string;
  detail: string;
}

/** Free TCP ports on 127.0.0.1, from the kernel (listen on port 0), all distinct. */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import("node:net").Server>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, LOOPBACK, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import("node:net").AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export class LiveCluster {
  readonly root: string;
  /** The folder's name: also the Patroni scope, so it appears in every process title of the cluster. */
  readonly marker: string;
  readonly secrets: Secrets;
  readonly paths: ClusterPaths;
  ports!: PortLayout;
  private etcd: Started | null = null;
  private readonly patroni = new Map<string, Started>();
  /** WAL senders stopped with SIGSTOP, by node. */
  private readonly stopped = new Map<string, Set<number>>();
  /** Nodes killed and not restarted yet. */
  readonly down = new Set<string>();
  /** Set once the cluster is handed to the user (--keep) or its teardown began. */
  private tornDown = false;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly plan: LivePlan,
    readonly tools: ClusterTools,
    private readonly progress: (text: string) => void = () => undefined,
  ) {
    this.root = mkdtempSync(join(tmpdir(), "repl-lab-live-"));
    this.marker = basename(this.root);
    const hex = () => randomBytes(12).toString("hex");
    this.secrets = { superuser: hex(), replication: hex(), rewind: hex() };
    const root = this.root;
    this.paths = { root, etcdData: join(root, "etcd"), binDir: tools.binDir, node: (name) => nodePaths(root, name) };
  }

  get scope(): string {
    return scopeName(this.marker.replace(/^repl-lab-/, ""));
  }

  get leaderKey(): string {
    return `/repl-lab/${this.scope}/leader`;
  }

  nodeTargets(): { name: string; rest: number; pg: number }[] {
    return this.plan.nodes.map((n) => ({ name: n.name, ...this.ports.nodes[n.name] }));
  }

  private restPorts(): number[] {
    return this.plan.nodes.map((n) => this.ports.nodes[n.name].rest);
  }

  private chown(path: string): void {
    const { uid, gid } = this.tools.runAs;
    if (uid !== null && gid !== null) chownSync(path, uid, gid);
  }

  /** Folders, ports and configuration files; nothing runs yet. */
  async prepare(): Promise<void> {
    this.chown(this.root);
    this.ports = layoutPorts(
      this.plan.nodes.map((n) => n.name),
      await findFreePorts(portsNeeded(this.plan.nodes.length)),
    );
    for (const node of this.plan.nodes) {
      const p = this.paths.node(node.name);
      mkdirSync(p.dir, { mode: 0o700 });
      this.chown(p.dir);
      const config = patroniConfig(this.plan, node, { runId: this.marker.replace(/^repl-lab-/, ""), paths: this.paths, ports: this.ports, secrets: this.secrets });
      writeFileSync(p.config, patroniYaml(config), { mode: 0o600 });
      this.chown(p.config);
    }
  }

  private env(home: string): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: home, LANG: "C.UTF-8", LC_ALL: "C.UTF-8", PYTHONUNBUFFERED: "1", TZ: "UTC" };
  }

  async startEtcd(): Promise<void> {
    this.progress("starting etcd");
    const log = join(this.root, "etcd.log");
    this.etcd = startProcess(this.tools.runAs, this.tools.etcd, etcdArgs(this.ports, this.paths.etcdData, this.marker.replace(/^repl-lab-/, "")), {
      logFile: log,
      cwd: this.root,
      marker: this.marker,
      env: this.env(this.root),
    });
    await this.until(15_000, "etcd did not become healthy", () => etcdHealthy(this.ports.etcd.client), log);
  }

  startPatroni(name: string): void {
    const p = this.paths.node(name);
    this.patroni.set(name, startProcess(this.tools.runAs, this.tools.patroni, [p.config], { logFile: p.log, cwd: p.dir, marker: this.marker, env: this.env(p.dir) }));
    this.down.delete(name);
  }

  /** Bootstrap: etcd, the leader (which runs initdb), then the replicas; resolves when the cluster is healthy. */
  async start(): Promise<void> {
    await this.prepare();
    await this.startEtcd();
    const [leader, ...replicas] = this.plan.nodes;
    this.progress(`bootstrapping ${leader.name} (initdb)`);
    this.startPatroni(leader.name);
    await this.until(60_000, `${leader.name} did not become the primary`, async () => (await findPrimary([{ name: leader.name, rest: this.ports.nodes[leader.name].rest }])) === leader.name, this.paths.node(leader.name).log);
    // No standby streams yet: in strict synchronous mode a commit waiting for one would wait forever.
    await this.sql(leader.name, `SET synchronous_commit TO local; CREATE TABLE IF NOT EXISTS ${TABLE} (run integer NOT NULL, class smallint NOT NULL, id bigint NOT NULL, PRIMARY KEY (run, class, id))`);
    // Named synchronous standbys first, one at a time, so Patroni picks them in the topology's order.
    const named = replicas.filter((n) => !n.tags.nosync && this.isNamedSync(n.name));
    for (const node of named) {
      this.progress(`cloning ${node.name} (pg_basebackup)`);
      this.startPatroni(node.name);
      await this.until(60_000, `${node.name} did not start streaming`, () => this.streaming(node.name), this.paths.node(node.name).log);
    }
    const rest = replicas.filter((n) => !named.includes(n));
    if (rest.length > 0) {
      this.progress(`cloning ${rest.map((n) => n.name).join(", ")} (pg_basebackup)`);
      for (const node of rest) this.startPatroni(node.name);
    }
    this.progress("waiting for a healthy cluster");
    await this.waitHealthy(90_000);
  }

  private isNamedSync(name: string): boolean {
    const r = this.plan.scenario.topology.replication;
    return r.mode === "leader-follower" && r.sync !== null && r.sync.names.includes(name);
  }

  /** Polls `check` until it holds; on timeout throws with the tail of the log that explains it. */
  private async until(timeoutMs: number, message: string, check: () => Promise<boolean>, log?: string): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.tornDown) throw new Error("the cluster was stopped");
      if (await check().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`${message} within ${Math.round(timeoutMs / 1000)}s${log ? `; the end of ${log}:\n${tail(log, 15)}` : ""}`);
  }

  /** One statement as the superuser on a node, bounded: a stuck server fails the call instead of hanging the run. */
  async sql<T = Record<string, unknown>>(node: string, text: string, values: unknown[] = [], timeoutMs = 15_000): Promise<T[]> {
    const client = await connect(this.ports.nodes[node].pg, this.secrets.superuser, { timeoutMs: 3000, applicationName: "repl-lab-admin" });
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = await Promise.race([
        client.query(text, values.length > 0 ? values : undefined),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${node}: no answer to "${text.slice(0, 60)}" within ${timeoutMs / 1000}s`)), timeoutMs);
        }),
      ]);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return last.rows as T[];
    } finally {
      clearTimeout(timer);
      destroy(client);
    }
  }

  async primary(): Promise<string | null> {
    return findPrimary(this.nodeTargets());
  }

  /** Whether the leader streams to this node (pg_stat_replication.state = streaming). */
  private async streaming(name: string): Promise<boolean> {
    const leader = await this.primary();
    if (!leader || leader === name) return false;
    const rows = await this.sql<{ state: string }>(leader, "SELECT state FROM pg_stat_replication WHERE application_name = $1", [name]);
    return rows.some((r) => r.state === "streaming");
  }

  /**
   * Healthy: one running leader, every node that is up running as a replica and
   * streaming from it, no replica lagging, and (synchronous mode) as many
   * synchronous standbys as the topology asks and the eligible nodes allow.
   */
  async healthy(): Promise<boolean> {
    const view = await getCluster(this.restPorts());
    if (!view) return false;
    return this.healthyView(view) && (await this.allStreaming(view));
  }

  healthyView(view: ClusterView): boolean {
    const up = this.plan.nodes.filter((n) => !this.down.has(n.name));
    const leaders = view.members.filter((m) => isLeaderRole(m.role) && m.state === "running");
    if (leaders.length !== 1) return false;
    for (const n of up) {
      const m = view.members.find((x) => x.name === n.name);
      if (!m || !(m.state === "running" || m.state === "streaming")) return false;
      if (!isLeaderRole(m.role) && typeof m.lag === "number" && m.lag > this.plan.dcs.maximum_lag_on_failover) return false;
      if (!isLeaderRole(m.role) && m.lag === "unknown") return false;
    }
    if (this.plan.dcs.synchronous_mode !== false) {
      const eligible = up.filter((n) => !n.tags.nosync && n.name !== leaders[0].name).length;
      const want = Math.min(this.plan.dcs.synchronous_node_count, eligible);
      if (view.members.filter((m) => isSyncRole(m.role)).length < want) return false;
    }
    return true;
  }

  private async allStreaming(view: ClusterView): Promise<boolean> {
    const leader = view.members.find((m) => isLeaderRole(m.role))!.name;
    const rows = await this.sql<{ name: string; state: string }>(leader, "SELECT application_name AS name, state FROM pg_stat_replication");
    const replicas = this.plan.nodes.filter((n) => !this.down.has(n.name) && n.name !== leader);
    return replicas.every((n) => rows.some((r) => r.name === n.name && r.state === "streaming"));
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    await this.until(timeoutMs, "the cluster did not become healthy", () => this.healthy(), undefined).catch(async (error: Error) => {
      const view = await getCluster(this.restPorts());
      throw new Error(`${error.message}; members: ${view ? view.members.map((m) => `${m.name} ${m.role} ${m.state}${m.lag !== undefined ? ` lag ${m.lag}` : ""}`).join(", ") : "no REST API answered"}`);
    });
  }

  // -------------------------------------------------------------------------
  // Faults

  /** kill -9 of the node's Patroni, its postmaster and the postmaster's children, each PID checked first. */
  crash(name: string): FaultOutcome {
    const p = this.paths.node(name);
    const patroni = this.patroni.get(name);
    const postmaster = postmasterPid(p.data);
    const children = postmaster === null ? [] : childrenOf(postmaster).map((c) => c.pid);
    const killed: string[] = [];
    if (patroni && signalChecked(patroni.pid, "SIGKILL", (cmd) => cmd.includes(p.config))) killed.push(`Patroni ${patroni.pid}`);
    if (postmaster !== null && signalChecked(postmaster, "SIGKILL", (cmd) => cmd.includes(p.data))) killed.push(`postmaster ${postmaster}`);
    let backends = 0;
    // Once the postmaster is gone its children belong to init: they are recognised by their title, which names the cluster.
    for (const pid of children) if (signalChecked(pid, "SIGKILL", (cmd) => cmd.startsWith("postgres") && cmd.includes(this.marker))) backends++;
    if (backends > 0) killed.push(`${backends} backend${backends === 1 ? "" : "s"}`);
    this.patroni.delete(name);
    this.down.add(name);
    this.stopped.delete(name);
    return { event: "crash", detail: killed.length > 0 ? `kill -9: ${killed.join(", ")}` : "nothing to kill: the node was not running" };
  }

  /** SIGSTOP of the node's WAL senders: it keeps serving clients, but ships no WAL. Senders that appear later are stopped too (see keepStalled). */
  stall(name: string): FaultOutcome {
    const stopped = this.stopSenders(name);
    return { event: "stall", detail: stopped.length > 0 ? `SIGSTOP of ${stopped.length} WAL sender${stopped.length === 1 ? "" : "s"} (${stopped.join(", ")})` : "no WAL sender to stop (the node streams to no one)" };
  }

  /** During a stall, WAL senders that reconnecting replicas start are stopped as well. */
  keepStalled(): void {
    for (const name of this.stopped.keys()) this.stopSenders(name);
  }

  private stopSenders(name: string): number[] {
    const postmaster = postmasterPid(this.paths.node(name).data);
    if (postmaster === null) return [];
    const set = this.stopped.get(name) ?? new Set<number>();
    this.stopped.set(name, set);
    const fresh: number[] = [];
    for (const pid of walSenders(postmaster)) {
      if (set.has(pid)) continue;
      if (signalChecked(pid, "SIGSTOP", (cmd, stat) => stat.ppid === postmaster && cmd.includes("walsender"))) {
        set.add(pid);
        fresh.push(pid);
      }
    }
    return fresh;
  }

  resume(name: string): FaultOutcome {
    const set = this.stopped.get(name);
    this.stopped.delete(name);
    let resumed = 0;
    for (const pid of set ?? []) if (signalChecked(pid, "SIGCONT", (cmd) => cmd.includes("walsender"))) resumed++;
    return { event: "resume", detail: resumed > 0 ? `SIGCONT of ${resumed} WAL sender${resumed === 1 ? "" : "s"}` : "no stopped WAL sender left" };
  }

  /** Restart the node's Patroni; it starts PostgreSQL, rewinds it with pg_rewind if needed, and follows the leader. */
  recover(name: string): FaultOutcome {
    if (this.patroni.has(name) && isAlive(this.patroni.get(name)!.pid)) return { event: "recover", detail: "already running" };
    this.startPatroni(name);
    return { event: "recover", detail: `Patroni restarted (pid ${this.patroni.get(name)!.pid}); it rejoins through pg_rewind` };
  }

  /**
   * Between runs: restart what a run left down, resume stalled senders, wait
   * for health, and hand the leadership back to the topology's leader
   * (switchover), so every run starts from the topology's roles.
   */
  async restore(progress: (text: string) => void): Promise<void> {
    for (const name of [...this.stopped.keys()]) this.resume(name);
    for (const name of [...this.down]) {
      progress(`restarting ${name}`);
      this.recover(name);
    }
    progress("waiting for a healthy cluster");
    await this.waitHealthy(120_000);
    const leader = await this.primary();
    if (leader === this.plan.leader) return;
    progress(`switching over from ${leader} back to ${this.plan.leader}`);
    await this.switchover(leader!, this.plan.leader);
    progress("waiting for a healthy cluster");
    await this.waitHealthy(120_000);
  }

  /**
   * Patroni 3 allows a switchover in synchronous mode only to the current
   * synchronous standby; between runs nothing is written, so synchronous mode
   * is switched off for the switchover and back on after it.
   */
  private async switchover(from: string, to: string): Promise<void> {
    const restPort = this.ports.nodes[from].rest;
    const sync = this.plan.dcs.synchronous_mode !== false;
    if (sync) {
      await this.patchConfig(restPort, { synchronous_mode: false, synchronous_mode_strict: false });
      await this.until(30_000, "synchronous mode did not switch off", async () => {
        const view = await getCluster(this.restPorts());
        return view !== null && !view.members.some((m) => isSyncRole(m.role));
      });
    }
    let done = false;
    for (let attempt = 0; attempt < 5 && !done; attempt++) {
      const r = await httpJson(restUrl(restPort, "/switchover"), { method: "POST", body: { leader: from, candidate: to }, timeoutMs: 60_000 });
      done = r !== null && r.status === 200;
      if (!done) await sleep(2000);
    }
    await this.until(60_000, `switchover to ${to} did not finish`, async () => (await this.primary()) === to);
    if (sync) {
      await this.patchConfig(this.ports.nodes[to].rest, { synchronous_mode: this.plan.dcs.synchronous_mode, synchronous_mode_strict: this.plan.dcs.synchronous_mode_strict });
    }
  }

  private async patchConfig(restPort: number, body: Record<string, unknown>): Promise<void> {
    const r = await httpJson(restUrl(restPort, "/config"), { method: "PATCH", body, timeoutMs: 10_000 });
    if (!r || r.status !== 200) throw new Error(`PATCH /config ${JSON.stringify(body)} failed (${r ? `${r.status} ${JSON.stringify(r.body)}` : "no answer"})`);
  }

  /** The ids of a run's rows on the current primary, per data class index. */
  async rowsOf(run: number): Promise<{ node: string; ids: Map<number, Set<number>> }> {
    let node: string | null = null;
    for (let i = 0; i < 100 && node === null; i++) {
      node = await this.primary();
      if (node === null) await sleep(300);
    }
    if (node === null) throw new Error("no primary to read the written rows from (30 s)");
    let client: pg.Client | null = null;
    try {
      client = await connect(this.ports.nodes[node].pg, this.secrets.superuser, { timeoutMs: 5000, applicationName: "repl-lab-audit" });
      const r = await client.query({ text: `SELECT class, id FROM ${TABLE} WHERE run = $1`, values: [run], rowMode: "array" });
      const ids = new Map<number, Set<number>>();
      for (const [cls, id] of r.rows as [number, string][]) {
        if (!ids.has(cls)) ids.set(cls, new Set());
        ids.get(cls)!.add(Number(id));
      }
      return { node, ids };
    } finally {
      if (client) destroy(client);
    }
  }

  // -------------------------------------------------------------------------
  // Leaving

  /** --keep: leave every process running, and write a script that stops them by PID. */
  keep(): { stopScript: string; connections: string[] } {
    for (const p of this.patroni.values()) p.detach();
    this.etcd?.detach();
    for (const name of [...this.stopped.keys()]) this.resume(name);
    const pids = [...this.patroni.values()].map((p) => p.pid);
    const stopScript = join(this.root, "stop.sh");
    const lines = [
      "#!/bin/sh",
      "# Stops the cluster repl-lab live left running (--keep): each PID only if its command line still names this folder.",
      `DIR='${this.root}'`,
      "stop() { for pid in \"$@\"; do tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -q \"$DIR\" && kill -TERM $pid; done; }",
      `stop ${pids.join(" ")}`,
      "sleep 10",
      `stop ${this.etcd?.pid ?? ""}`,
      "sleep 2",
      'rm -rf "$DIR"',
      "",
    ];
    writeFileSync(stopScript, lines.join("\n"), { mode: 0o755 });
    const connections = this.plan.nodes.map((n) => `${n.name}: ${connectionString(this.ports.nodes[n.name].pg, this.secrets.superuser)}  (REST http://${LOOPBACK}:${this.ports.nodes[n.name].rest}/cluster)`);
    this.tornDown = true;
    return { stopScript, connections };
  }

  /**
   * Stops everything this cluster started, by PID: stalled senders resumed,
   * SIGTERM to every Patroni (each stops its PostgreSQL), SIGKILL after a bound,
   * any postmaster left over, then etcd; then any process still naming the run
   * folder; then the folder. Safe to call twice.
   */
  teardown(): Promise<void> {
    // A second call (a second Ctrl+C, SIGHUP during the teardown) waits for the same teardown.
    if (this.stopping) return this.stopping;
    if (this.tornDown) return Promise.resolve();
    this.tornDown = true;
    this.stopping = this.stopAll();
    return this.stopping;
  }

  /** The PIDs this cluster started (etcd, then each Patroni): recorded so that a run that dies can be cleaned up. */
  pids(): number[] {
    return [...(this.etcd ? [this.etcd.pid] : []), ...[...this.patroni.values()].map((p) => p.pid)];
  }

  private async stopAll(): Promise<void> {
    for (const name of [...this.stopped.keys()]) this.resume(name);
    const patronis = [...this.patroni.values()].map((p) => p.pid);
    await stopChecked(patronis, this.marker, 20_000);
    for (const node of this.plan.nodes) {
      const data = this.paths.node(node.name).data;
      const pm = postmasterPid(data);
      if (pm === null) continue;
      const kids = childrenOf(pm).map((c) => c.pid);
      signalChecked(pm, "SIGQUIT", (cmd) => cmd.includes(data));
      if ((await waitGone([pm], 5000)).length > 0) signalChecked(pm, "SIGKILL", (cmd) => cmd.includes(data));
      for (const pid of kids) signalChecked(pid, "SIGKILL", (cmd) => cmd.startsWith("postgres") && cmd.includes(this.marker));
    }
    if (this.etcd) await stopChecked([this.etcd.pid], this.marker, 5000);
    for (const pid of processesMentioning(this.marker)) signalChecked(pid, "SIGKILL", (cmd) => cmd.includes(this.marker));
    await waitGone(processesMentioning(this.marker), 3000);
    rmSync(this.root, { recursive: true, force: true });
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
