// The one source of truth for repl-lab's YAML formats (the documented file formats). It yields the
// TypeScript types (z.output), the runtime validation, and the JSON Schema that
// `repl-lab schema` prints (z.toJSONSchema on the input side).
//
// Values are parsed into typed units here: durations become milliseconds, sizes
// bytes, throughputs bytes per second, shares fractions. Every number has an
// upper limit (see LIMITS) so that no file can hang or exhaust the machine.
import * as z from "zod";
import { parseDuration, parseShare, parseSize, parseSyncStandbys, parseThroughput, formatDuration } from "../base/units.js";

export { LIMITS } from "../base/limits.js";
import { LIMITS } from "../base/limits.js";

// ---------------------------------------------------------------------------
// Unit types

function duration(options: { max?: number; description?: string } = {}) {
  const max = options.max ?? LIMITS.durationMs;
  return z
    .union([z.string(), z.number()])
    .transform((input, ctx) => {
      const parsed = parseDuration(input);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message, input });
        return z.NEVER;
      }
      if (parsed.value > max) {
        ctx.addIssue({ code: "custom", message: `${formatDuration(parsed.value, { style: "parts" })} is above the limit of ${formatDuration(max, { style: "parts" })}`, input });
        return z.NEVER;
      }
      return parsed.value;
    })
    .meta({ description: options.description ?? 'A duration with a unit: "500ms", "30s", "5m", "1h", "7d"; or 0.' });
}

function size(description = 'A size in binary units: "1KB", "16MB", "500GB" (1MB = 1,048,576 bytes).') {
  return z
    .union([z.string(), z.number()])
    .transform((input, ctx) => {
      const parsed = parseSize(input);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message, input });
        return z.NEVER;
      }
      if (parsed.value > LIMITS.bytes) {
        ctx.addIssue({ code: "custom", message: `${input} is above the limit of 1PB`, input });
        return z.NEVER;
      }
      return parsed.value;
    })
    .meta({ description });
}

function throughput() {
  return z
    .string()
    .transform((input, ctx) => {
      const parsed = parseThroughput(input);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message, input });
        return z.NEVER;
      }
      if (parsed.value > LIMITS.throughputBytes || parsed.value <= 0) {
        ctx.addIssue({ code: "custom", message: `expected a throughput above 0 and at most 1TB/s; got ${input}`, input });
        return z.NEVER;
      }
      return parsed.value;
    })
    .meta({ description: 'A throughput: a size per second, e.g. "200MB/s".' });
}

function share() {
  return z
    .union([z.number(), z.string()])
    .transform((input, ctx) => {
      const parsed = parseShare(input);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message, input });
        return z.NEVER;
      }
      return parsed.value;
    })
    .meta({ description: 'A share: a fraction (0.4) or a percentage ("40%").' });
}

function rate(max: number, description: string) {
  return z.number().min(0).max(max).meta({ description });
}

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "expected a name of letters, digits, '-', '_' or '.'")
  .max(64);

const zoneRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected a zone as "region/zone", e.g. "us-east/a"')
  .meta({ description: 'A zone, written "region/zone".' });

// ---------------------------------------------------------------------------
// Latency distributions (the documented latency formats), in milliseconds

const ms = z.number().min(0).max(LIMITS.latencyMs);
const positive = z.number().gt(0).max(LIMITS.latencyMs);

const medianP99 = z
  .strictObject({ median: positive, p99: positive })
  .refine((v) => v.p99 >= v.median, { message: "p99 must be at least the median" });

const basicDistributions = [
  medianP99.meta({ description: "A log-normal fitted to its median and 99th percentile (ms)." }),
  z.strictObject({ constant: ms }),
  z.strictObject({ uniform: z.tuple([ms, ms]) }).refine((v) => v.uniform[1] >= v.uniform[0], {
    message: "uniform: [low, high] needs high >= low",
  }),
  z.strictObject({ exponential: z.strictObject({ rate: z.number().gt(0).max(1e6) }) }),
  z.strictObject({ pareto: z.strictObject({ scale: positive, shape: z.number().gt(0).max(1000) }) }),
  z.strictObject({ lognormal: medianP99 }),
] as const;

const weighted = z.union(
  basicDistributions.map((d) => (d as z.ZodObject<any>).extend({ weight: z.number().gt(0).max(1e6) })) as unknown as [
    z.ZodType,
    z.ZodType,
    ...z.ZodType[],
  ],
);

export const latencySchema = z
  .union([
    ...basicDistributions,
    z.strictObject({ mix: z.array(weighted).min(1).max(16), shift: ms.optional() }),
  ])
  .meta({
    id: "latency",
    description:
      "A latency distribution in ms: { median, p99 } (log-normal), { constant }, { uniform: [a, b] }, { exponential: { rate } }, { pareto: { scale, shape } }, { lognormal: { median, p99 } } or { mix: [...], shift }.",
  });

// ---------------------------------------------------------------------------
// Topology (documented format)

const syncStandbys = z
  .union([z.string(), z.array(z.string())])
  .transform((input, ctx) => {
    const parsed = parseSyncStandbys(input);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message, input });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({ description: 'PostgreSQL synchronous_standby_names: "FIRST n (a, b)" or "ANY n (a, b)".' });

export const commitLevels = ["off", "local", "remote_write", "on", "remote_apply"] as const;
const commitLevel = z.enum(commitLevels).meta({ description: "synchronous_commit: off | local | remote_write | on | remote_apply" });

const leaderFollower = z.strictObject({
  mode: z.literal("leader-follower"),
  synchronous: z
    .strictObject({
      standbys: syncStandbys,
      commit: commitLevel.optional(),
      strict: z.boolean().optional().meta({ description: "true: refuse writes without enough sync standbys; false: degrade to async." }),
      managed: z.boolean().optional().meta({
        description: "true: the failover manager re-picks sync standbys among healthy replicas (Patroni synchronous_mode, the default); false: the static list only (plain PostgreSQL).",
      }),
      degrade_after: duration({ description: "With strict: false, how long a commit waits for a sync ack before the leader degrades to async (MySQL semi-sync: 10s)." }).optional(),
      when_none: z.enum(["block", "any-standby"]).optional().meta({
        description:
          "Strict mode with no proper sync standby (and right after a promotion): block (commits wait until the failover manager names one; current Patroni's placeholder) or any-standby (synchronous_standby_names = '*': any streaming standby, nosync ones included, acknowledges; Patroni 3.0).",
      }),
    })
    .optional(),
  apply_rate: rate(LIMITS.applyRate, "Writes per second a replica can apply.").optional(),
  wal_sender_batch: duration({ max: 10_000 }).optional().meta({ description: "How often the WAL sender ships a batch (default 1ms)." }),
});

const leaderless = z.strictObject({
  mode: z.literal("leaderless"),
  n: z.number().int().min(1).max(LIMITS.quorumN).optional().meta({ description: "Copies of each key (default: the preset's, at most the number of nodes)." }),
  w: z.number().int().min(1).max(LIMITS.quorumN).optional().meta({ description: "Acks a write waits for (default: the preset's, or a majority of n)." }),
  r: z.number().int().min(1).max(LIMITS.quorumN).optional().meta({ description: "Replies a read waits for (default: the preset's, or a majority of n)." }),
  sloppy_quorum: z.boolean().optional(),
  hinted_handoff: z.strictObject({ window: duration() }).optional(),
  read_repair: z.boolean().optional(),
  conflict: z.enum(["lww", "vector-clock"]).optional(),
  vnodes: z.number().int().min(1).max(256).optional(),
  clock_skew: z
    .record(z.string().max(64), duration({ max: 3_600_000 }))
    .refine((c) => Object.keys(c).length <= LIMITS.nodes, { message: `expected at most ${LIMITS.nodes} nodes` })
    .optional().meta({ description: "Per-node clock offset (LWW timestamps)." }),
});

const multiLeader = z.strictObject({
  mode: z.literal("multi-leader"),
  leaders: z.array(name).min(2).max(LIMITS.regions).optional().meta({ description: "The regions that accept writes (default: every region holding a node)." }),
  conflict: z.enum(["lww", "crdt", "app"]).optional(),
  routing: z.enum(["home-region", "any"]).optional(),
  apply_rate: rate(LIMITS.applyRate, "Writes per second a replica can apply.").optional(),
});

const consensus = z.strictObject({
  mode: z.literal("consensus"),
  members: z.array(name).min(1).max(LIMITS.regions).optional().meta({ description: "The regions holding voting members (default: every region holding a node)." }),
  election_timeout: duration({ max: 600_000 }).optional(),
  heartbeat: duration({ max: 60_000 }).optional(),
});

export const replicationModes = ["leader-follower", "leaderless", "multi-leader", "consensus"] as const;
const replication = z.discriminatedUnion("mode", [leaderFollower, leaderless, multiLeader, consensus]);

const detection = z.union([
  z.strictObject({
    ttl: duration({ max: 3_600_000 }),
    loop_wait: duration({ max: 3_600_000 }).optional(),
    retry_timeout: duration({ max: 3_600_000 }).optional(),
  }),
  z.strictObject({ heartbeat: duration({ max: 600_000 }), misses: z.number().int().min(1).max(1000) }),
]);

const endpoint = z.union([
  z.strictObject({
    kind: z.literal("dns"),
    ttl: duration({ max: 86_400_000 }).optional(),
    stale_clients: share().optional(),
    stale_for: duration({ max: 86_400_000 }).optional(),
  }),
  z.strictObject({
    kind: z.literal("proxy"),
    check_interval: duration({ max: 600_000 }).optional(),
    check_timeout: duration({ max: 600_000 }).optional(),
    rise: z.number().int().min(1).max(100).optional().meta({ description: "Passing checks before a node is marked up (HAProxy rise)." }),
    fall: z.number().int().min(1).max(100).optional().meta({ description: "Failing checks before a node is marked down and its sessions are cut (HAProxy fall)." }),
  }),
]);

const failover = z.strictObject({
  mode: z.enum(["automatic", "manual"]).optional(),
  operator_delay: duration().optional(),
  detection: detection.optional(),
  coordinator: z
    .union([z.union([zoneRef, name]), z.array(z.union([zoneRef, name])).min(1).max(LIMITS.regions * 3)])
    .optional()
    .meta({ description: "Where the consensus store (etcd) lives: a region or zone, or a list of them (one member each; a node needs a majority)." }),
  fencing: z.enum(["stonith", "lease", "none"]).optional(),
  fencing_time: duration({ max: 600_000 }).optional().meta({ description: "Time to fence the old leader (STONITH call or lease revocation)." }),
  election: z.enum(["highest-lsn", "priority"]).optional(),
  election_time: duration({ max: 600_000 }).optional().meta({ description: "Time for the leader race once the lease is gone." }),
  maximum_lag_on_failover: size().optional(),
  lagging_candidates: z.enum(["wait", "promote"]).optional().meta({
    description: "When only replicas missing acknowledged writes remain: wait for a complete one (downtime) or promote with loss (RPO > 0).",
  }),
  promotion: duration({ max: 3_600_000 }).optional(),
  endpoint: endpoint.optional(),
  reconnect: z
    .strictObject({
      backoff: duration({ max: 600_000 }).optional(),
      max: duration({ max: 3_600_000 }).optional(),
      jitter: z.enum(["full", "equal", "none"]).optional(),
    })
    .optional(),
  accept_rate: rate(LIMITS.acceptRate, "New connections per second the new leader can accept.").optional(),
});

const backups = z.strictObject({
  wal_archive: z
    .strictObject({
      mode: z.enum(["continuous", "periodic", "none"]).optional(),
      archive_timeout: duration().optional(),
      every: duration().optional(),
      region: name.optional(),
    })
    .optional(),
  base_backups: z
    .strictObject({ every: duration(), retain: duration(), region: name.optional(), copy_to: name.optional() })
    .optional(),
  pitr_window: duration().optional(),
  restore: z
    .strictObject({ throughput: throughput().optional(), wal_replay: throughput().optional(), data_size: size().optional() })
    .optional(),
  detection: duration().optional().meta({ description: "How long a bad write may go unnoticed; PITR must reach back this far." }),
  drill: z
    .strictObject({
      every: duration().optional(),
      last: z
        .union([z.string(), z.date()])
        .transform((input, ctx) => {
          const text = input instanceof Date ? input.toISOString().slice(0, 10) : input;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
            ctx.addIssue({ code: "custom", message: `expected a date as YYYY-MM-DD; got "${text}"`, input });
            return z.NEVER;
          }
          return text;
        })
        .optional(),
      automated: z.boolean().optional().meta({
        description:
          "A scheduled job runs the drill every `every` and alerts when it fails or does not run; its record lives with the job, so `last` may be left out.",
      }),
    })
    .optional(),
  logical: z.strictObject({ classes: z.array(name).max(LIMITS.dataClasses), every: duration().optional(), retain: duration().optional() }).optional(),
  audit_log: z.boolean().optional(),
  guards: z.strictObject({ unqualified_dml: z.enum(["block", "allow"]) }).optional(),
});

export const consistencyLevels = ["strong", "read-your-writes", "eventual"] as const;

const readRouting = z.union([
  z.enum(["leader", "session", "any"]),
  z.strictObject({ max_lag: size() }),
]);

const dataClass = z.strictObject({
  rpo: duration().meta({ description: "Recovery point objective: how much recent data the class may lose." }),
  rto: duration().meta({ description: "Recovery time objective: how long the class may be unavailable." }),
  share: share().optional(),
  consistency: z.enum(consistencyLevels).optional(),
  commit: commitLevel.optional(),
  reads: readRouting.optional(),
  r: z.number().int().min(1).max(LIMITS.quorumN).optional(),
  w: z.number().int().min(1).max(LIMITS.quorumN).optional(),
});

const nodeSchema = z.strictObject({
  zone: zoneRef,
  role: z.enum(["leader", "replica"]).optional(),
  nofailover: z.boolean().optional(),
  nosync: z.boolean().optional().meta({ description: "Never chosen as a synchronous standby (Patroni's nosync tag)." }),
  failover_priority: z.number().int().min(0).max(1000).optional(),
  apply_rate: rate(LIMITS.applyRate, "This replica's apply rate (writes/s), overriding replication.apply_rate.").optional(),
});

const ruleIds = z.array(z.string().max(80)).max(100);

export const presetNames = ["patroni", "postgres-manual", "mysql-semisync", "mongodb", "cassandra", "dynamo", "aurora", "rds-multi-az", "etcd-raft"] as const;

export const topologySchema = z
  .strictObject({
    kind: z.literal("topology"),
    name: name,
    description: z.string().max(2000).optional(),
    preset: z.enum(presetNames).optional(),
    regions: z
      .record(name, z.strictObject({ zones: z.array(name).min(1).max(LIMITS.zonesPerRegion) }))
      .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= LIMITS.regions, {
        message: `expected between 1 and ${LIMITS.regions} regions`,
      }),
    network: z
      .strictObject({
        "same-zone": latencySchema.optional(),
        "cross-zone": latencySchema.optional(),
        "cross-region": latencySchema.optional(),
      })
      .optional(),
    nodes: z.record(name, nodeSchema).refine((n) => Object.keys(n).length >= 1 && Object.keys(n).length <= LIMITS.nodes, {
      message: `expected between 1 and ${LIMITS.nodes} nodes`,
    }),
    replication,
    storage: z.strictObject({ fsync: latencySchema.optional() }).optional(),
    failover: failover.optional(),
    backups: backups.optional(),
    data_classes: z.record(name, dataClass).refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= LIMITS.dataClasses, {
      message: `expected between 1 and ${LIMITS.dataClasses} data classes`,
    }),
    ignore: ruleIds.optional().meta({ description: "Lint rule ids switched off for this file." }),
  })
  .meta({ id: "topology", title: "repl-lab topology" });

// ---------------------------------------------------------------------------
// Scenario (documented format)

const nodeSet = z.array(z.union([name, zoneRef])).min(1).max(LIMITS.nodes);

/** The fault actions: a fault carries `at` and exactly one of these keys. */
export const faultActions = [
  "crash",
  "recover",
  "partition",
  "heal",
  "stall",
  "slow",
  "latency",
  "lose",
  "bad_write",
  "archive_fails",
  "promote_fails",
  "rebuild",
  "restore_drill",
] as const;

const fault = z
  .strictObject({
    at: duration({ max: LIMITS.scenarioDurationMs }),
    for: duration({ max: LIMITS.scenarioDurationMs }).optional(),
    crash: name.optional(),
    recover: name.optional(),
    partition: z.array(nodeSet).min(2).max(8).optional(),
    heal: z.literal(true).optional(),
    stall: name.optional(),
    slow: name.optional(),
    apply_rate: rate(LIMITS.applyRate, "With slow: the replica's new apply rate.").optional(),
    latency: z.strictObject({ between: z.tuple([nodeSet, nodeSet]), add: duration({ max: LIMITS.latencyMs }) }).optional(),
    lose: z.union([zoneRef, name]).optional(),
    bad_write: z
      .strictObject({
        class: name,
        statement: z.enum(["update-all", "delete", "drop"]),
        rows: share().optional(),
        noticed_after: duration().optional(),
      })
      .optional(),
    archive_fails: z.literal(true).optional(),
    promote_fails: name.optional(),
    rebuild: name.optional(),
    restore_drill: z.strictObject({}).optional(),
  })
  .superRefine((f, ctx) => {
    const present = faultActions.filter((key) => (f as Record<string, unknown>)[key] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? `a fault needs one action: ${faultActions.join(", ")}`
            : `a fault takes exactly one action; this one has ${present.join(" and ")} — split it into ${present.length} faults`,
      });
    }
    if (f.apply_rate !== undefined && f.slow === undefined) {
      ctx.addIssue({ code: "custom", path: ["apply_rate"], message: "apply_rate belongs to a `slow:` fault" });
    }
    if (f.slow !== undefined && f.apply_rate === undefined) {
      ctx.addIssue({ code: "custom", path: ["slow"], message: "a `slow:` fault needs `apply_rate:` (the replica's new apply rate, writes/s)" });
    }
  });

const comparison = z
  .union([z.string().max(100), z.number(), z.boolean()])
  .meta({ description: 'An expected value: 0, true, "<30s", ">0", "<=5ms", ">=100".' });

const classExpectation = z.strictObject({
  rpo: comparison.optional(),
  rto: comparison.optional(),
  read_rto: comparison.optional(),
  client_p99: comparison.optional().meta({ description: "The p99 over clients of the time until each was served again (the cached-endpoint tail)." }),
  lost_writes: comparison.optional(),
  write_p50: comparison.optional(),
  write_p99: comparison.optional(),
  read_p50: comparison.optional(),
  read_p99: comparison.optional(),
  stale_reads: comparison.optional(),
  met: comparison.optional(),
});

/** Scenario-wide expectations, beside the per-class ones. */
export const globalExpectationKeys = [
  "split_brain",
  "writes_lost",
  "writes_rejected",
  "reads_rejected",
  "stale_reads",
  "conflicts",
  "write_unavailable",
  "writes_acked",
  "failovers",
  "timeline",
  "recovery",
] as const;

/** Expectations about recovery (durability): how the data comes back, at what cost. */
const recoveryExpectation = z.strictObject({
  needed: z.boolean().optional(),
  method: z.enum(["failover", "pitr", "base-backup", "logical-backup", "none"]).optional(),
  lost_writes: comparison.optional(),
  reconcile_writes: comparison.optional(),
  restore: comparison.optional(),
  drill_passed: z.boolean().optional(),
});

const expectation = z.union([classExpectation, recoveryExpectation, comparison, z.array(z.string().max(200)).max(50)]);

export const workloadSchema = z.strictObject({
  writes: rate(LIMITS.writesPerSecond, "Writes per second (open-loop Poisson arrivals)."),
  reads: rate(LIMITS.readsPerSecond, "Reads per second.").optional(),
  clients: z.number().int().min(1).max(LIMITS.clients).optional(),
  keys: z.number().int().min(1).max(LIMITS.keys).optional(),
  write_size: size().optional(),
  timeout: duration({ max: 600_000 }).optional(),
  zones: z.array(zoneRef).min(1).max(64).optional(),
});

export const scenarioSchema = z
  .strictObject({
    kind: z.literal("scenario"),
    name: name,
    description: z.string().max(4000).optional(),
    topology: z.union([z.string().max(1000), topologySchema]).meta({ description: "A path relative to this file, or an inline topology." }),
    seed: z.number().int().min(0).max(LIMITS.seed).optional(),
    duration: duration({ max: LIMITS.scenarioDurationMs }),
    workload: workloadSchema,
    faults: z.array(fault).max(LIMITS.faults).optional(),
    expect: z
      .record(z.string().max(100), expectation)
      .refine((e) => Object.keys(e).length <= LIMITS.dataClasses + globalExpectationKeys.length, {
        message: `expected at most ${LIMITS.dataClasses + globalExpectationKeys.length} expectations (one per data class and scenario-wide key)`,
      })
      .optional(),
    ignore: ruleIds.optional(),
  })
  .meta({ id: "scenario", title: "repl-lab scenario" });

// ---------------------------------------------------------------------------
// Latency file (the documented latency formats): the four WARS legs of a quorum operation

const leg = z.union([latencySchema, z.strictObject({ same: z.enum(["w", "a", "r", "s"]) })]);

export const latencyFileSchema = z
  .strictObject({ kind: z.literal("latency"), name: name.optional(), description: z.string().max(2000).optional(), w: leg, a: leg, r: leg, s: leg })
  .meta({ id: "latency-file", title: "repl-lab latency file" });

export const fileSchemas = { topology: topologySchema, scenario: scenarioSchema, latency: latencyFileSchema } as const;
export type FileKind = keyof typeof fileSchemas | "drill";

export type TopologyInput = z.output<typeof topologySchema>;
export type ScenarioInput = z.output<typeof scenarioSchema>;
export type LatencyFileInput = z.output<typeof latencyFileSchema>;
export type Latency = z.output<typeof latencySchema>;
export type DataClassInput = z.output<typeof dataClass>;
export type FaultInput = z.output<typeof fault>;
export type Workload = z.output<typeof workloadSchema>;
export type CommitLevel = (typeof commitLevels)[number];
export type Comparison = z.output<typeof comparison>;
export type ClassExpectation = z.output<typeof classExpectation>;
export type ExpectationValue = z.output<typeof expectation>;
