// The files and command lines of a live cluster, from a plan: each node's
// Patroni YAML (DCS bootstrap settings from the topology, tags, ports, folders)
// and etcd's flags. Pure: paths, ports and passwords come in as arguments, so
// the tests can read every line Patroni will read. Only 127.0.0.1 appears.
import { stringify } from "yaml";
import type { LivePlan, LiveNodePlan } from "./plan.js";

export const LOOPBACK = "127.0.0.1";

export interface NodePorts {
  rest: number;
  pg: number;
}

export interface PortLayout {
  etcd: { client: number; peer: number };
  nodes: Record<string, NodePorts>;
}

/** How many ports a cluster of n nodes needs: etcd's two, and a REST and a PostgreSQL port per node. */
export function portsNeeded(nodeCount: number): number {
  return 2 + 2 * nodeCount;
}

/** Hands out ports (already known to be free) to etcd and the nodes; every port is used once. */
export function layoutPorts(nodeNames: readonly string[], ports: readonly number[]): PortLayout {
  const need = portsNeeded(nodeNames.length);
  const unique = [...new Set(ports)];
  if (unique.length < need) throw new RangeError(`layoutPorts: ${need} distinct ports needed for ${nodeNames.length} nodes, got ${unique.length}`);
  for (const p of unique) if (!Number.isInteger(p) || p < 1024 || p > 65535) throw new RangeError(`layoutPorts: port ${p} is outside 1024-65535`);
  const nodes: Record<string, NodePorts> = {};
  nodeNames.forEach((name, i) => {
    nodes[name] = { rest: unique[2 + 2 * i], pg: unique[3 + 2 * i] };
  });
  return { etcd: { client: unique[0], peer: unique[1] }, nodes };
}

export interface Secrets {
  superuser: string;
  replication: string;
  rewind: string;
}

export interface ClusterPaths {
  /** The run's temporary folder. */
  root: string;
  etcdData: string;
  binDir: string;
  node(name: string): { dir: string; data: string; config: string; log: string; pgpass: string };
}

export const USERS = { superuser: "postgres", replication: "replicator", rewind: "rewinder" } as const;

/** The Patroni scope (cluster name) and etcd namespace of a run. */
export function scopeName(runId: string): string {
  return `repl-lab-${runId}`;
}

export function nodePaths(root: string, name: string) {
  const dir = `${root}/${name}`;
  return { dir, data: `${dir}/data`, config: `${dir}/patroni.yml`, log: `${dir}/patroni.log`, pgpass: `${dir}/pgpass` };
}

/** Patroni's configuration of one node, as a plain object (see patroniYaml for the text). */
export function patroniConfig(plan: LivePlan, node: LiveNodePlan, ctx: { runId: string; paths: ClusterPaths; ports: PortLayout; secrets: Secrets }): Record<string, unknown> {
  const ports = ctx.ports.nodes[node.name];
  if (!ports) throw new Error(`assertion: no ports for node ${node.name}`);
  const p = ctx.paths.node(node.name);
  return {
    scope: scopeName(ctx.runId),
    namespace: "/repl-lab/",
    name: node.name,
    log: { level: "INFO", format: "%(asctime)s %(levelname)s: %(message)s" },
    restapi: { listen: `${LOOPBACK}:${ports.rest}`, connect_address: `${LOOPBACK}:${ports.rest}` },
    // etcd 3.4 answers the v2 API only with --enable-v2; Patroni's etcd3 client speaks v3 through the gRPC gateway.
    etcd3: { hosts: [`${LOOPBACK}:${ctx.ports.etcd.client}`] },
    bootstrap: bootstrapConfig(plan),
    postgresql: {
      listen: `${LOOPBACK}:${ports.pg}`,
      connect_address: `${LOOPBACK}:${ports.pg}`,
      data_dir: p.data,
      bin_dir: ctx.paths.binDir,
      pgpass: p.pgpass,
      authentication: {
        superuser: { username: USERS.superuser, password: ctx.secrets.superuser },
        replication: { username: USERS.replication, password: ctx.secrets.replication },
        rewind: { username: USERS.rewind, password: ctx.secrets.rewind },
      },
      parameters: {
        unix_socket_directories: p.dir,
        // Two cores carry the whole cluster: small buffers, no background noise.
        shared_buffers: "32MB",
        max_worker_processes: 4,
        logging_collector: "off",
        log_min_messages: "warning",
      },
      pg_hba: [
        "local all all trust",
        `host replication ${USERS.replication} ${LOOPBACK}/32 scram-sha-256`,
        `host all all ${LOOPBACK}/32 scram-sha-256`,
      ],
    },
    watchdog: { mode: "off" },
    tags: { nofailover: node.tags.nofailover, noloadbalance: false, clonefrom: false, nosync: node.tags.nosync },
  };
}

/** What Patroni writes to the DCS when it bootstraps the cluster: the plan's timings, sync mode and parameters. */
function bootstrapConfig(plan: LivePlan): Record<string, unknown> {
  const { dcs } = plan;
  return {
    dcs: {
      ttl: dcs.ttl,
      loop_wait: dcs.loop_wait,
      retry_timeout: dcs.retry_timeout,
      maximum_lag_on_failover: dcs.maximum_lag_on_failover,
      synchronous_mode: dcs.synchronous_mode,
      synchronous_mode_strict: dcs.synchronous_mode_strict,
      synchronous_node_count: dcs.synchronous_node_count,
      postgresql: {
        use_pg_rewind: true,
        use_slots: true,
        parameters: {
          wal_level: "replica",
          hot_standby: "on",
          wal_log_hints: "on",
          max_wal_senders: 10,
          max_replication_slots: 10,
          wal_keep_size: "64MB",
          max_connections: 60,
          ...plan.parameters,
        },
      },
    },
    initdb: [{ encoding: "UTF8" }, { locale: "C.UTF-8" }],
  };
}

export function patroniYaml(config: Record<string, unknown>): string {
  return `# Written by repl-lab live; read by Patroni.\n${stringify(config)}`;
}

/** etcd's command line: one member, loopback only, data in the run folder. */
export function etcdArgs(ports: PortLayout, dataDir: string, runId: string): string[] {
  const client = `http://${LOOPBACK}:${ports.etcd.client}`;
  const peer = `http://${LOOPBACK}:${ports.etcd.peer}`;
  return [
    "--name",
    "repl-lab",
    "--data-dir",
    dataDir,
    "--listen-client-urls",
    client,
    "--advertise-client-urls",
    client,
    "--listen-peer-urls",
    peer,
    "--initial-advertise-peer-urls",
    peer,
    "--initial-cluster",
    `repl-lab=${peer}`,
    "--initial-cluster-state",
    "new",
    "--initial-cluster-token",
    scopeName(runId),
    "--log-level",
    "warn",
  ];
}

/** A libpq connection string for a node (the writer and `--keep`'s printout use it). */
export function connectionString(port: number, password: string, user: string = USERS.superuser): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@${LOOPBACK}:${port}/postgres`;
}
