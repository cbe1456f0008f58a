// Patroni's and etcd's configuration from a plan, and port allocation: every
// address is 127.0.0.1, every port used once, the DCS bootstrap block carries
// the topology.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { join } from "node:path";
import { parse } from "yaml";
import { etcdArgs, layoutPorts, nodePaths, patroniConfig, patroniYaml, portsNeeded, type ClusterPaths } from "../../src/live/config.js";
import { findFreePorts } from "../../src/live/cluster.js";
import { planLive, type LivePlan } from "../../src/live/plan.js";
import { scenarioFrom } from "../engine/helpers.js";

function payments(): LivePlan {
  const outcome = planLive(scenarioFrom(join(process.cwd(), "scenarios/leader-dies-in-az-a.yaml")), { patroniVersion: [3, 0, 2] });
  if (!outcome.ok) throw new Error(outcome.reasons.join("; "));
  return outcome.plan;
}

const paths: ClusterPaths = { root: "/tmp/repl-lab-live-X", etcdData: "/tmp/repl-lab-live-X/etcd", binDir: "/usr/lib/postgresql/15/bin", node: (n) => nodePaths("/tmp/repl-lab-live-X", n) };
const secrets = { superuser: "s1", replication: "s2", rewind: "s3" };

test("ports: two for etcd and two per node, each used once", () => {
  assert.equal(portsNeeded(4), 10);
  const layout = layoutPorts(["a", "b", "c"], [40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007]);
  assert.deepEqual(layout, { etcd: { client: 40000, peer: 40001 }, nodes: { a: { rest: 40002, pg: 40003 }, b: { rest: 40004, pg: 40005 }, c: { rest: 40006, pg: 40007 } } });
  assert.throws(() => layoutPorts(["a", "b"], [1, 2, 3]), /6 distinct ports needed/);
  assert.throws(() => layoutPorts(["a"], [40000, 40000, 40001, 40002]), /4 distinct ports needed/, "a repeated port does not count twice");
  assert.throws(() => layoutPorts(["a"], [80, 40001, 40002, 40003]), /outside 1024-65535/);
});

test("free ports come from the kernel, are distinct, and can be bound on 127.0.0.1", async () => {
  const ports = await findFreePorts(8);
  assert.equal(new Set(ports).size, 8);
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
    });
  }
});

test("Patroni's YAML: bootstrap DCS from the topology, tags, folders, loopback only", () => {
  const plan = payments();
  const ports = layoutPorts(
    plan.nodes.map((n) => n.name),
    [42000, 42001, 42002, 42003, 42004, 42005, 42006, 42007, 42008, 42009],
  );
  const dr = plan.nodes.find((n) => n.name === "pg-dr")!;
  const text = patroniYaml(patroniConfig(plan, dr, { runId: "live-X", paths, ports, secrets }));
  const config = parse(text) as Record<string, any>;
  assert.equal(config.name, "pg-dr");
  assert.equal(config.scope, "repl-lab-live-X");
  assert.deepEqual(config.etcd3, { hosts: ["127.0.0.1:42000"] });
  assert.equal(config.restapi.listen, "127.0.0.1:42008");
  assert.equal(config.postgresql.listen, "127.0.0.1:42009");
  assert.equal(config.postgresql.data_dir, "/tmp/repl-lab-live-X/pg-dr/data");
  assert.equal(config.postgresql.bin_dir, "/usr/lib/postgresql/15/bin");
  const dcs = config.bootstrap.dcs;
  assert.equal(dcs.ttl, 10);
  assert.equal(dcs.loop_wait, 2);
  assert.equal(dcs.retry_timeout, 3);
  assert.equal(dcs.maximum_lag_on_failover, 1048576);
  assert.equal(dcs.synchronous_mode, true);
  assert.equal(dcs.synchronous_mode_strict, true);
  assert.equal(dcs.synchronous_node_count, 1);
  assert.equal(dcs.postgresql.use_pg_rewind, true);
  assert.equal(dcs.postgresql.parameters.wal_log_hints, "on");
  assert.equal(dcs.postgresql.parameters.synchronous_commit, "on");
  assert.deepEqual(config.tags, { nofailover: true, noloadbalance: false, clonefrom: false, nosync: true });
  assert.deepEqual(Object.keys(config.postgresql.authentication).sort(), ["replication", "rewind", "superuser"]);
  const addresses = text.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [];
  assert.ok(addresses.length > 0);
  assert.deepEqual([...new Set(addresses)], ["127.0.0.1"], "no address but loopback");
});

test("etcd: one member, every URL on 127.0.0.1, data in the run folder", () => {
  const ports = layoutPorts(["a", "b"], [43000, 43001, 43002, 43003, 43004, 43005]);
  const args = etcdArgs(ports, "/tmp/x/etcd", "live-X");
  const urls = args.filter((a) => a.includes("http://"));
  assert.ok(urls.length >= 5);
  for (const url of urls) assert.match(url, /http:\/\/127\.0\.0\.1:4300[01]/);
  assert.equal(args[args.indexOf("--data-dir") + 1], "/tmp/x/etcd");
  assert.equal(args[args.indexOf("--initial-cluster") + 1], "repl-lab=http://127.0.0.1:43001");
});
