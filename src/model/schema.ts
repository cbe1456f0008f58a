// The one source of truth for repl-lab's YAML formats (the documented file formats). It yields the
// TypeScript types (z.output), the runtime validation, and the JSON Schema that
// `repl-lab schema` prints (z.toJSONSchema on the input side).
//
// Written with zod/mini (the functional API: `z.optional(x)`, `x.check(z.maximum(n))`,
// `z.pipe(x, z.transform(f))`) rather than classic zod's chained methods, for the cold
// start: every `validate` imports zod, builds these schemas and parses once, and mini
// does all three faster (about 10 ms of a 145 ms start). Same core, same checks, issues
// and JSON Schema. `meta()` below does what classic's `.meta()` did.
//
// Values are parsed into typed units here: durations become milliseconds, sizes
// bytes, throughputs bytes per second, shares fractions. Every number has an
// upper limit (see LIMITS) so that no file can hang or exhaust the machine.
import * as z from "zod/mini";
import "./zod-locale.js"; // English messages: zod/mini installs no locale
import { durationExamples, isCalendarDate, parseDuration, parseShare, parseSize, parseSyncStandbys, parseThroughput, formatDuration, type Parsed } from "../base/units.js";

export { LIMITS } from "../base/limits.js";
import { LIMITS } from "../base/limits.js";
import { p999Ms } from "../base/distributions.js";

/** The schema with JSON Schema metadata (a description, an id). Registers it in place: give it a schema of its own, not a shared one. */
function meta<T extends z.ZodMiniType>(schema: T, data: z.core.GlobalMeta): T {
  z.globalRegistry.add(schema as z.ZodMiniType, data);
  return schema;
}

/** Reports a transform's custom issue (mini's transforms get the parse payload, not classic's ctx.addIssue). */
function fail(payload: z.core.ParsePayload, message: string, input: unknown): never {
  payload.issues.push({ code: "custom", message, input });
  return z.NEVER;
}

/** An optional key with a description. */
function optional<T extends z.ZodMiniType>(schema: T, description: string) {
  return meta(z.optional(schema), { description });
}

// ---------------------------------------------------------------------------
// Unit types

/**
 * A value written in units (text, or a number where the format allows one) and parsed into them: the parser's
 * message when it cannot read it, then `limit`'s when the value is out of bounds.
 */
function parsed<I, T>(written: z.ZodMiniType<I>, parse: (input: I) => Parsed<T>, description: string, limit?: (value: T, input: I) => string | null) {
  return meta(
    z.pipe(
      written,
      z.transform((input: I, payload) => {
        const result = parse(input);
        if (!result.ok) return fail(payload, result.message, input);
        const problem = limit?.(result.value, input) ?? null;
        return problem === null ? result.value : fail(payload, problem, input);
      }),
    ),
    { description },
  );
}

/** The shortest period the engine runs: a timer that repeats must move the clock on (see period()). */
export const MIN_PERIOD_MS = 1;

/** `above0`: why the value must be at least MIN_PERIOD_MS (it is a period, or a wait that 0 makes meaningless). */
function duration(options: { max?: number; description?: string; above0?: string } = {}) {
  const max = options.max ?? LIMITS.durationMs;
  const above0 = options.above0;
  // The examples a message or a description offers are values this field takes (not 0 where 0 is refused, none above max).
  const range = { min: above0 === undefined ? 0 : MIN_PERIOD_MS, max };
  const examples = durationExamples(range).map((text) => `"${text}"`).join(", ");
  return parsed(
    z.union([z.string(), z.number()]),
    (input) => parseDuration(input, range),
    options.description ??
      (above0 === undefined
        ? `A duration with a unit: ${examples}; or 0.`
        : `A duration of at least ${MIN_PERIOD_MS}ms with a unit: ${examples} (not 0: ${above0}).`),
    (value, input) => {
      // As written: a value far past the limit, rendered back from its float, reads as a different number ("4166666666666667000d").
      if (value > max) return `${typeof input === "string" ? input.trim() : formatDuration(value, { style: "parts" })} is above the limit of ${formatDuration(max, { style: "parts" })}`;
      if (above0 !== undefined && value < MIN_PERIOD_MS) {
        const got = typeof input === "string" ? `"${input}"` : String(input);
        return `expected a duration of at least ${MIN_PERIOD_MS}ms; got ${got} (${above0})`;
      }
      return null;
    },
  );
}

/** A duration the engine uses as a period, interval or step: at least MIN_PERIOD_MS, never 0. `what` says what repeats. */
function period(what: string, options: { max?: number } = {}) {
  return duration({ ...options, above0: `it is ${what}, and a period of 0 would repeat it without end at the same instant` });
}

function size(description = 'A size in binary units: "1KB", "16MB", "500GB" (1MB = 1,048,576 bytes).') {
  return parsed(z.union([z.string(), z.number()]), parseSize, description, (value, input) => (value > LIMITS.bytes ? `${input} is above the limit of 1PB` : null));
}

function throughput() {
  return parsed(z.string(), parseThroughput, 'A throughput: a size per second, e.g. "200MB/s".', (value, input) =>
    value > LIMITS.throughputBytes || value <= 0 ? `expected a throughput above 0 and at most 1TB/s; got ${input}` : null,
  );
}

function share() {
  return parsed(z.union([z.number(), z.string()]), parseShare, 'A share: a fraction (0.4) or a percentage ("40%").');
}

function rate(max: number, description: string) {
  return meta(z.number().check(z.minimum(0), z.maximum(max)), { description });
}

/** A whole number from min to max. */
function int(min: number, max: number) {
  return z.number().check(z.int(), z.minimum(min), z.maximum(max));
}

const name = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "expected a name of letters, digits, '-', '_' or '.'"), z.maxLength(64));

/**
 * A region's name, where a list or key takes regions only: a zone written "region/zone" there is the likely slip, and
 * is said as such, with the region to give instead.
 */
const regionName = z.string().check(
  z.refine((v) => !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]*$/.test(v), {
    abort: true,
    error: (issue) => `expected a region (a key under regions:), got the zone "${String(issue.input)}": give its region, "${String(issue.input).split("/")[0]}"`,
  }),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "expected a region name of letters, digits, '-', '_' or '.'"),
  z.maxLength(64),
);

const zoneRef = meta(z.string().check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected a zone as "region/zone", e.g. "us-east/a"')), {
  description: 'A zone, written "region/zone".',
});

// ---------------------------------------------------------------------------
// Latency distributions (the documented latency formats), in milliseconds

const MS_NUMBER = { error: "expected a finite number of milliseconds" };
const ms = z.number(MS_NUMBER).check(z.minimum(0), z.maximum(LIMITS.latencyMs));
const positive = z.number(MS_NUMBER).check(z.gt(0), z.maximum(LIMITS.latencyMs));

const medianP99 = z
  .strictObject({ median: positive, p99: positive })
  .check(z.refine((v) => v.p99 >= v.median, { message: "p99 must be at least the median" }));

const basicDistributions = [
  meta(medianP99.clone(), { description: "A log-normal fitted to its median and 99th percentile (ms)." }),
  z.strictObject({ constant: ms }),
  z.strictObject({ uniform: z.tuple([ms, ms]) }).check(
    z.refine((v) => v.uniform[1] >= v.uniform[0], {
      message: "uniform: [low, high] needs high >= low",
    }),
  ),
  z.strictObject({ exponential: z.strictObject({ rate: z.number().check(z.gt(0), z.maximum(1e6)) }) }),
  z.strictObject({ pareto: z.strictObject({ scale: positive, shape: z.number().check(z.gt(0), z.maximum(1000)) }) }),
  z.strictObject({ lognormal: medianP99 }),
] as const;

const weighted = z.union(
  basicDistributions.map((d) => z.extend(d as z.ZodMiniObject, { weight: z.number().check(z.gt(0), z.maximum(1e6)) })) as unknown as [
    z.ZodMiniType,
    z.ZodMiniType,
    ...z.ZodMiniType[],
  ],
);

/**
 * Every number of a distribution can be in range while its tail is not: a Pareto of shape 0.01 or an
 * exponential of rate 1e-300 draws latencies of 10^300 ms or Infinity, which no run or quorum figure survives.
 * Its 99.9th percentile (the quantile table resolves it; quorum reports it) must be within the latency limit.
 */
function checkTail(latency: Record<string, unknown>, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): void {
  const p999 = p999Ms(latency);
  if (p999 <= LIMITS.latencyMs) return;
  const value = Number.isFinite(p999) ? `about ${p999 < 1e12 ? Math.round(p999).toLocaleString("en-US") : p999.toPrecision(3)} ms` : "not a finite number of ms";
  const fix =
    "mix" in latency
      ? "make its slowest part's tail shorter (or its shift smaller)"
      : "pareto" in latency
        ? "raise shape or lower scale (the 99.9th percentile is scale × 1000^(1/shape))"
        : "exponential" in latency
          ? "raise rate (the 99.9th percentile is 6.9 / rate ms)"
          : "lower p99 or the median";
  ctx.addIssue({ code: "custom", message: `this distribution's 99.9th percentile is ${value}, above the latency limit of ${LIMITS.latencyMs.toLocaleString("en-US")} ms: ${fix}` });
}

export const latencySchema = meta(
  z
    .union([...basicDistributions, z.strictObject({ mix: z.array(weighted).check(z.minLength(1), z.maxLength(16)), shift: z.optional(ms) })])
    // Only for a distribution whose numbers passed: one that failed already has its error, at the number itself.
    .check(z.superRefine((latency, ctx) => checkTail(latency as Record<string, unknown>, ctx), { when: (payload) => payload.issues.length === 0 })),
  {
    id: "latency",
    description:
      "A latency distribution in ms: { median, p99 } (log-normal), { constant }, { uniform: [a, b] }, { exponential: { rate } }, { pareto: { scale, shape } }, { lognormal: { median, p99 } } or { mix: [...], shift }.",
  },
);

// ---------------------------------------------------------------------------
// Topology (documented format)

const syncStandbys = parsed(
  z.union([z.string(), z.array(z.string())]),
  parseSyncStandbys,
  'PostgreSQL synchronous_standby_names: "FIRST n (a, b)" or "ANY n (a, b)".',
);

export const commitLevels = ["off", "local", "remote_write", "on", "remote_apply"] as const;
const commitLevel = meta(z.enum(commitLevels), { description: "synchronous_commit: off | local | remote_write | on | remote_apply" });

const leaderFollower = z.strictObject({
  mode: z.literal("leader-follower"),
  synchronous: z.optional(
    z.strictObject({
      standbys: syncStandbys,
      commit: z.optional(commitLevel),
      strict: optional(z.boolean(), "true: refuse writes without enough sync standbys; false: degrade to async."),
      managed: optional(
        z.boolean(),
        "true: the failover manager re-picks sync standbys among healthy replicas (Patroni synchronous_mode, the default); false: the static list only (plain PostgreSQL).",
      ),
      degrade_after: z.optional(duration({ description: "With strict: false, how long a commit waits for a sync ack before the leader degrades to async (MySQL semi-sync: 10s)." })),
      when_none: optional(
        z.enum(["block", "any-standby"]),
        "Strict mode with no proper sync standby (and right after a promotion): block (commits wait until the failover manager names one; current Patroni's placeholder) or any-standby (synchronous_standby_names = '*': any streaming standby, nosync ones included, acknowledges; Patroni 3.0).",
      ),
    }),
  ),
  apply_rate: z.optional(rate(LIMITS.applyRate, "Writes per second a replica can apply.")),
  wal_sender_batch: optional(duration({ max: 10_000 }), "How often the WAL sender ships what has been flushed (default 0: as soon as a flush completes, as PostgreSQL 9.2+ does; older versions' wal_sender_delay woke it on an interval)."),
  wal_sender_timeout: optional(
    duration({ max: 3_600_000, above0: "PostgreSQL's 0 turns the timeout off; the engine needs an end" }),
    "How long the leader keeps a standby that went silent (a crash, a partition) before its WAL sender gives up on it; until then a FIRST rule waits for it (PostgreSQL's wal_sender_timeout, default 60s). PostgreSQL-based presets only.",
  ),
});

/** Per-node clock offsets, for last-write-wins timestamps. */
function clockSkew() {
  return z
    .record(z.string().check(z.maxLength(64)), duration({ max: 3_600_000 }))
    .check(z.refine((c) => Object.keys(c).length <= LIMITS.nodes, { message: `expected at most ${LIMITS.nodes} nodes` }));
}

const leaderless = z.strictObject({
  mode: z.literal("leaderless"),
  n: optional(int(1, LIMITS.quorumN), "Copies of each key (default: the preset's, at most the number of nodes)."),
  w: optional(int(1, LIMITS.quorumN), "Acks a write waits for (default: the preset's, or a majority of n)."),
  r: optional(int(1, LIMITS.quorumN), "Replies a read waits for (default: the preset's, or a majority of n)."),
  sloppy_quorum: z.optional(z.boolean()),
  hinted_handoff: z.optional(z.strictObject({ window: duration() })),
  read_repair: z.optional(z.boolean()),
  conflict: z.optional(z.enum(["lww", "vector-clock"])),
  vnodes: z.optional(int(1, 256)),
  placement: optional(
    z.enum(["ring", "rack-aware"]),
    "How a key's replicas are chosen: the first N distinct nodes clockwise (ring), or distinct zones first, as Cassandra's NetworkTopologyStrategy does with racks (rack-aware). Default: the preset's.",
  ),
  clock_skew: optional(clockSkew(), "Per-node clock offset (LWW timestamps)."),
});

const multiLeader = z.strictObject({
  mode: z.literal("multi-leader"),
  leaders: optional(z.array(regionName).check(z.minLength(2), z.maxLength(LIMITS.regions)), "The regions that accept writes (default: every region holding a node)."),
  conflict: z.optional(z.enum(["lww", "crdt", "app"])),
  routing: z.optional(z.enum(["home-region", "any"])),
  apply_rate: z.optional(rate(LIMITS.applyRate, "Writes per second a replica can apply.")),
  clock_skew: optional(clockSkew(), "Per-leader clock offset: last-write-wins orders a key's versions by the timestamp of the leader that made each (conflict: lww only)."),
});

const consensus = z.strictObject({
  mode: z.literal("consensus"),
  members: optional(z.array(regionName).check(z.minLength(1), z.maxLength(LIMITS.regions)), "The regions holding voting members (default: every region holding a node)."),
  election_timeout: z.optional(duration({ max: 600_000 })),
  heartbeat: z.optional(period("how often the leader sends heartbeats", { max: 60_000 })),
});

export const replicationModes = ["leader-follower", "leaderless", "multi-leader", "consensus"] as const;
const replication = z.discriminatedUnion("mode", [leaderFollower, leaderless, multiLeader, consensus]);

const detection = z.union([
  z.strictObject({
    ttl: duration({ max: 3_600_000, above0: "the leader lease would expire the moment it is taken, and the leader renews it every loop_wait, which must fit inside it" }),
    loop_wait: z.optional(period("how often the leader renews its lease", { max: 3_600_000 })),
    retry_timeout: z.optional(duration({ max: 3_600_000 })),
  }),
  z.strictObject({ heartbeat: period("how often the leader sends heartbeats", { max: 600_000 }), misses: int(1, 1000) }),
]);

const endpoint = z.union([
  z.strictObject({
    kind: z.literal("dns"),
    ttl: z.optional(duration({ max: 86_400_000 })),
    stale_clients: z.optional(share()),
    stale_for: z.optional(duration({ max: 86_400_000 })),
  }),
  z.strictObject({
    kind: z.literal("proxy"),
    check_interval: z.optional(period("how often the proxy health-checks each node", { max: 600_000 })),
    check_timeout: z.optional(duration({ max: 600_000 })),
    rise: optional(int(1, 100), "Passing checks before a node is marked up (HAProxy rise)."),
    fall: optional(int(1, 100), "Failing checks before a node is marked down and its sessions are cut (HAProxy fall)."),
  }),
]);

const failover = z.strictObject({
  mode: z.optional(z.enum(["automatic", "manual"])),
  operator_delay: z.optional(duration()),
  detection: z.optional(detection),
  coordinator: optional(
    z.union([z.union([zoneRef, name]), z.array(z.union([zoneRef, name])).check(z.minLength(1), z.maxLength(LIMITS.regions * 3))]),
    "Where the consensus store (etcd) lives: a region or zone, or a list of them (one member each; a node needs a majority).",
  ),
  fencing: z.optional(z.enum(["stonith", "lease", "none"])),
  fencing_time: optional(duration({ max: 600_000 }), "Time to fence the old leader (STONITH call or lease revocation)."),
  election: z.optional(z.enum(["highest-lsn", "priority"])),
  election_time: optional(duration({ max: 600_000 }), "Time for the leader race once the lease is gone."),
  maximum_lag_on_failover: z.optional(size()),
  lagging_candidates: optional(
    z.enum(["wait", "promote"]),
    "When only replicas missing acknowledged writes remain: wait for a complete one (downtime) or promote with loss (RPO > 0).",
  ),
  promotion: z.optional(duration({ max: 3_600_000 })),
  endpoint: z.optional(endpoint),
  reconnect: z.optional(
    z.strictObject({
      backoff: z.optional(period("the first delay before a client retries its connection", { max: 600_000 })),
      max: z.optional(period("the longest delay between a client's connection retries", { max: 3_600_000 })),
      jitter: z.optional(z.enum(["full", "equal", "none"])),
    }),
  ),
  accept_rate: z.optional(rate(LIMITS.acceptRate, "New connections per second the new leader can accept.")),
});

const backups = z.strictObject({
  wal_archive: z.optional(
    z.strictObject({
      mode: z.optional(z.enum(["continuous", "periodic", "none"])),
      archive_timeout: z.optional(duration()),
      every: z.optional(period("how often a periodic archive ships the WAL")),
      region: z.optional(regionName),
    }),
  ),
  base_backups: z.optional(z.strictObject({ every: period("how often a base backup is taken"), retain: duration(), region: z.optional(regionName), copy_to: z.optional(regionName) })),
  pitr_window: z.optional(duration()),
  restore: z.optional(
    z.strictObject({
      throughput: z.optional(throughput()),
      wal_replay: z.optional(throughput()),
      data_size: z.optional(size()),
      merge: optional(
        throughput(),
        "How fast the damaged rows are extracted from the restored copy and merged back into production, keeping the writes made since (rows written through SQL, not files copied); default: a quarter of `throughput`.",
      ),
    }),
  ),
  detection: optional(duration(), "How long a bad write may go unnoticed; PITR must reach back this far."),
  drill: z.optional(
    z.strictObject({
      every: z.optional(period("how often the restore drill runs")),
      last: z.optional(
        z.pipe(
          z.union([z.string(), z.date()]),
          z.transform((input, payload) => {
            const text = input instanceof Date ? input.toISOString().slice(0, 10) : input;
            if (!isCalendarDate(text)) {
              return fail(payload, `expected a date as YYYY-MM-DD; got "${text}"`, input);
            }
            return text;
          }),
        ),
      ),
      automated: optional(
        z.boolean(),
        "A scheduled job runs the drill every `every` and alerts when it fails or does not run; its record lives with the job, so `last` may be left out.",
      ),
    }),
  ),
  logical: z.optional(
    z.strictObject({
      classes: z.array(name).check(z.maxLength(LIMITS.dataClasses)),
      every: z.optional(period("how often a logical dump is taken")),
      retain: z.optional(duration()),
      restore: optional(
        throughput(),
        "How fast pg_restore reloads a dump: every row re-inserted, every index and constraint rebuilt, several times slower per byte than copying a base backup back; default: a quarter of `restore.throughput`.",
      ),
    }),
  ),
  audit_log: z.optional(z.boolean()),
  guards: z.optional(z.strictObject({ unqualified_dml: z.enum(["block", "allow"]) })),
});

export const consistencyLevels = ["strong", "read-your-writes", "eventual"] as const;

const readRouting = z.union([
  z.enum(["leader", "session", "any"]),
  z.strictObject({ max_lag: size() }),
  z.strictObject({
    max_staleness: duration({
      description:
        "A staleness budget in time: replicas further behind than this (MySQL's Seconds_Behind_Source against ProxySQL's max_replication_lag; a MongoDB driver's maxStalenessSeconds, at least 90s) serve none of the class's reads.",
      above0: "a budget of 0 would send every read to the leader; use reads: leader",
    }),
  }),
]);

const dataClass = z.strictObject({
  rpo: duration({ description: "Recovery point objective: how much recent data the class may lose." }),
  rto: duration({ description: "Recovery time objective: how long the class may be unavailable." }),
  share: z.optional(share()),
  consistency: z.optional(z.enum(consistencyLevels)),
  commit: z.optional(commitLevel),
  reads: z.optional(readRouting),
  r: z.optional(int(1, LIMITS.quorumN)),
  w: z.optional(int(1, LIMITS.quorumN)),
});

const nodeSchema = z.strictObject({
  zone: zoneRef,
  role: optional(z.enum(["leader", "replica", "arbiter"]), "leader: starts as the leader. arbiter (MongoDB): a member that votes in elections and holds no data."),
  nofailover: z.optional(z.boolean()),
  nosync: optional(z.boolean(), "Never chosen as a synchronous standby (Patroni's nosync tag)."),
  failover_priority: z.optional(int(0, 1000)),
  apply_rate: z.optional(rate(LIMITS.applyRate, "This replica's apply rate (writes/s), overriding replication.apply_rate.")),
});

const ruleIds = z.array(z.string().check(z.maxLength(80))).check(z.maxLength(100));

export const presetNames = ["patroni", "postgres-manual", "mysql-semisync", "mongodb", "cassandra", "dynamo", "aurora", "rds-multi-az", "etcd-raft"] as const;

export const topologySchema = meta(
  z.strictObject({
    kind: z.literal("topology"),
    name: name,
    description: z.optional(z.string().check(z.maxLength(2000))),
    preset: z.optional(z.enum(presetNames)),
    regions: z.record(name, z.strictObject({ zones: z.array(name).check(z.minLength(1), z.maxLength(LIMITS.zonesPerRegion)) })).check(
      z.refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= LIMITS.regions, {
        message: `expected between 1 and ${LIMITS.regions} regions`,
      }),
    ),
    network: z.optional(
      z.strictObject({
        "same-zone": z.optional(latencySchema),
        "cross-zone": z.optional(latencySchema),
        "cross-region": z.optional(latencySchema),
      }),
    ),
    nodes: z.record(name, nodeSchema).check(
      z.refine((n) => Object.keys(n).length >= 1 && Object.keys(n).length <= LIMITS.nodes, {
        message: `expected between 1 and ${LIMITS.nodes} nodes`,
      }),
    ),
    replication,
    storage: z.optional(z.strictObject({ fsync: z.optional(latencySchema) })),
    failover: z.optional(failover),
    backups: z.optional(backups),
    data_classes: z.record(name, dataClass).check(
      z.refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= LIMITS.dataClasses, {
        message: `expected between 1 and ${LIMITS.dataClasses} data classes`,
      }),
    ),
    ignore: optional(ruleIds, "Lint rule ids switched off for this file."),
  }),
  { id: "topology", title: "repl-lab topology" },
);

// ---------------------------------------------------------------------------
// Scenario (documented format)

const nodeSet = z.array(z.union([name, zoneRef])).check(z.minLength(1), z.maxLength(LIMITS.nodes));

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
    for: z.optional(duration({ max: LIMITS.scenarioDurationMs })),
    crash: z.optional(name),
    recover: z.optional(name),
    partition: z.optional(z.array(nodeSet).check(z.minLength(2), z.maxLength(8))),
    heal: z.optional(z.literal(true)),
    stall: z.optional(name),
    slow: z.optional(name),
    apply_rate: z.optional(rate(LIMITS.applyRate, "With slow: the replica's new apply rate.")),
    latency: z.optional(z.strictObject({ between: z.tuple([nodeSet, nodeSet]), add: duration({ max: LIMITS.latencyMs }) })),
    lose: z.optional(z.union([zoneRef, name])),
    bad_write: z.optional(
      z.strictObject({
        class: name,
        statement: z.enum(["update-all", "delete", "drop"]),
        rows: z.optional(share()),
        noticed_after: z.optional(duration()),
      }),
    ),
    archive_fails: z.optional(z.literal(true)),
    promote_fails: z.optional(name),
    rebuild: z.optional(name),
    restore_drill: z.optional(z.strictObject({})),
  })
  .check(
    z.superRefine((f, ctx) => {
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
    }),
  );

const comparison = meta(z.union([z.string().check(z.maxLength(100)), z.number(), z.boolean()]), {
  description: 'An expected value: 0, true, "<30s", ">0", "<=5ms", ">=100".',
});

const classExpectation = z.strictObject({
  rpo: z.optional(comparison),
  rto: z.optional(comparison),
  read_rto: z.optional(comparison),
  client_p99: optional(comparison, "The p99 over clients of the time until each was served again (the cached-endpoint tail)."),
  lost_writes: z.optional(comparison),
  write_p50: z.optional(comparison),
  write_p99: z.optional(comparison),
  read_p50: z.optional(comparison),
  read_p99: z.optional(comparison),
  stale_reads: z.optional(comparison),
  met: z.optional(comparison),
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
  needed: z.optional(z.boolean()),
  method: z.optional(z.enum(["failover", "pitr", "base-backup", "logical-backup", "none"])),
  lost_writes: z.optional(comparison),
  reconcile_writes: z.optional(comparison),
  restore: z.optional(comparison),
  total: optional(comparison, "The whole way back: the restore, then merging the damaged rows back into production."),
  drill_passed: z.optional(z.boolean()),
});

const expectation = z.union([classExpectation, recoveryExpectation, comparison, z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50))]);

export const workloadSchema = z.strictObject({
  writes: rate(LIMITS.writesPerSecond, "Writes per second (open-loop Poisson arrivals)."),
  reads: z.optional(rate(LIMITS.readsPerSecond, "Reads per second.")),
  clients: z.optional(int(1, LIMITS.clients)),
  keys: z.optional(int(1, LIMITS.keys)),
  write_size: z.optional(size()),
  timeout: z.optional(duration({ max: 600_000, above0: "it is how long a client waits for an answer, and with 0 every request would time out before any could be acknowledged" })),
  // Checked against the topology's zones when the scenario resolves, so that a wrong one is named beside the zones there are.
  zones: optional(z.array(z.string().check(z.maxLength(200))).check(z.minLength(1), z.maxLength(64)), 'The zones the clients run in, written "region/zone" (default: the leader\'s zone, then the rest of its region).'),
});

export const scenarioSchema = meta(
  z.strictObject({
    kind: z.literal("scenario"),
    name: name,
    description: z.optional(z.string().check(z.maxLength(4000))),
    topology: meta(z.union([z.string().check(z.maxLength(1000)), topologySchema]), { description: "A path relative to this file, or an inline topology." }),
    seed: z.optional(int(0, LIMITS.seed)),
    duration: duration({
      max: LIMITS.scenarioDurationMs,
      above0: "it is how long the run lasts, and a run of 0 sends no request, so it would measure nothing and call every class met",
    }),
    workload: workloadSchema,
    faults: z.optional(z.array(fault).check(z.maxLength(LIMITS.faults))),
    expect: z.optional(
      z.record(z.string().check(z.maxLength(100)), expectation).check(
        z.refine((e) => Object.keys(e).length <= LIMITS.dataClasses + globalExpectationKeys.length, {
          message: `expected at most ${LIMITS.dataClasses + globalExpectationKeys.length} expectations (one per data class and scenario-wide key)`,
        }),
      ),
    ),
    ignore: z.optional(ruleIds),
  }),
  { id: "scenario", title: "repl-lab scenario" },
);

// ---------------------------------------------------------------------------
// Latency file (the documented latency formats): the four WARS legs of a quorum operation

const leg = z.union([latencySchema, z.strictObject({ same: z.enum(["w", "a", "r", "s"]) })]);

/** Replicas in other datacenters (the PBS paper's WAN): per operation, `local` of them at random are near its coordinator, the rest `add` ms further each way. */
const remoteReplicas = meta(z.strictObject({ local: int(1, LIMITS.quorumN), add: ms }), {
  description:
    "Wide-area replicas: for each operation (the write, and apart from it the read) `local` replicas chosen at random are in the coordinator's datacenter; every other replica's two legs of that operation take `add` ms more each.",
});

export const latencyFileSchema = meta(
  z.strictObject({
    kind: z.literal("latency"),
    name: z.optional(name),
    description: z.optional(z.string().check(z.maxLength(2000))),
    w: leg,
    a: leg,
    r: leg,
    s: leg,
    remote: z.optional(remoteReplicas),
  }),
  { id: "latency-file", title: "repl-lab latency file" },
);

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
