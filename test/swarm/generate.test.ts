// The generator: every case it makes loads with the project's loader (a case
// that does not is a generator bug), replays from its seed, and covers the
// designs and faults the swarm promises.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { draftCase, finishCase, generateCase, MODES, resolve } from "../../src/swarm/generate.js";
import { Rng } from "../../src/swarm/random.js";
import { FAULT_KINDS, generateSchedule, layoutOfSpec } from "../../src/swarm/schedule.js";
import { shrink } from "../../src/swarm/shrink.js";
import { caseYaml, type CaseSpec, type TopologySpec } from "../../src/swarm/spec.js";

const SEEDS = 300;

describe("generated cases", () => {
  const cases: CaseSpec[] = [];
  for (const scale of ["full", "ci"] as const) {
    test(`${SEEDS} cases (${scale}) load, and load back to what the swarm runs`, () => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const { spec, scenario } = generateCase(seed, { scale });
        assert.deepEqual(resolve(spec), scenario, `seed ${seed}: the rendered file resolves to the case that was run`);
        assert.ok(spec.durationMs >= 30_000 && spec.durationMs <= (scale === "ci" ? 90_000 : 120_000), `seed ${seed}: duration ${spec.durationMs}`);
        for (const f of spec.faults) assert.ok(f.atMs <= spec.durationMs, `seed ${seed}: a fault after the end`);
        cases.push(spec);
      }
    });
  }

  test("the same seed gives the same file", () => {
    assert.equal(caseYaml(generateCase(42).spec), caseYaml(generateCase(42).spec));
    assert.notEqual(caseYaml(generateCase(42).spec), caseYaml(generateCase(43).spec));
  });

  test("every mode, and the knobs that matter, appear", () => {
    const yaml = cases.map((c) => caseYaml(c));
    const seen = (pattern: RegExp) => yaml.filter((y) => pattern.test(y)).length;
    const wanted: [string, RegExp][] = [
      ...MODES.map((m) => [m, new RegExp(`mode: ${m}`)] as [string, RegExp]),
      ["FIRST k", /standbys: "?FIRST/],
      ["ANY k", /standbys: "?ANY/],
      ["strict", /strict: true/],
      ["non-strict", /strict: false/],
      ["remote_apply", /commit: remote_apply/],
      ["lease detection", /loop_wait/],
      ["heartbeat detection", /heartbeat: \d/],
      ["stonith", /fencing: stonith/],
      ["lease fencing", /fencing: lease/],
      ["no fencing", /fencing: none/],
      ["proxy", /kind: proxy/],
      ["dns", /kind: dns/],
      ["nofailover", /nofailover: true/],
      ["coordinator list", /coordinator: \[/],
      ["multi-region", /west: /],
      ["sloppy", /sloppy_quorum: true/],
      ["strict quorum", /sloppy_quorum: false/],
      ...FAULT_KINDS.map((k) => [k, new RegExp(`${k}: `)] as [string, RegExp]),
      ["recover", /recover: /],
      ["heal", /heal: true/],
      ["lose without for", /lose: [\w/-]+ \}/],
      ["crash without for", /crash: \w+ \}/],
    ];
    for (const [what, pattern] of wanted) assert.ok(seen(pattern) > 0, `no generated case has ${what}`);
    const asyncOnly = cases.filter((c) => typeof c.topology !== "string" && c.topology.replication.mode === "leader-follower" && c.topology.replication.synchronous === undefined && c.topology.preset === undefined);
    assert.ok(asyncOnly.length > 0, "no generated case has asynchronous replication only");
  });

  test("the coordinator-lease rule holds: loop_wait + 2 × retry_timeout <= ttl", () => {
    for (const c of cases) {
      if (typeof c.topology === "string") continue;
      const d = (c.topology.failover?.detection ?? {}) as Record<string, string>;
      if (d.ttl === undefined) continue;
      const s = (text: string) => Number(text.replace(/s$/, ""));
      assert.ok(s(d.loop_wait) + 2 * s(d.retry_timeout) <= s(d.ttl), JSON.stringify(d));
    }
  });
});

describe("schedules", () => {
  test("restricted to the kinds asked for", () => {
    const topology = generateCase(7, { mode: "leader-follower" }).spec.topology as TopologySpec;
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) {
      for (const f of generateSchedule(rng, layoutOfSpec(topology), { kinds: ["crash", "stall"] })) {
        assert.ok(["crash", "recover", "stall"].includes(Object.keys(f.action)[0]), JSON.stringify(f));
      }
    }
  });

  test("leaderless and multi-leader schedules use only faults those shapes react to", () => {
    for (const mode of ["leaderless", "multi-leader"] as const) {
      for (let seed = 1; seed <= 50; seed++) {
        for (const f of draftCase(seed, { mode }).spec.faults) assert.ok(!("stall" in f.action || "slow" in f.action || "promote_fails" in f.action), `${mode}: ${JSON.stringify(f)}`);
      }
    }
  });
});

describe("shrinking", () => {
  test("keeps only what the failure needs", () => {
    // Find a case with several faults, one of them a crash of the leader.
    let seed = 1;
    let spec = generateCase(seed, { mode: "leader-follower" }).spec;
    const crashesLeader = (c: CaseSpec) => c.faults.some((f) => f.action.crash === "n0");
    while (!(spec.faults.length >= 3 && crashesLeader(spec))) spec = generateCase(++seed, { mode: "leader-follower" }).spec;
    // A stand-in for an oracle: "fails" while the leader crashes and some writes flow.
    const { spec: small, steps } = shrink(spec, (c) => crashesLeader(c) && c.workload.writes >= 5);
    assert.ok(steps > 0);
    assert.equal(small.faults.length, 1);
    assert.equal(small.faults[0].action.crash, "n0");
    assert.equal(small.workload.writes, 5);
    assert.ok(small.durationMs <= spec.durationMs);
    assert.doesNotThrow(() => resolve(small), "the minimised case still loads");
  });

  test("a variant the loader rejects is never kept", () => {
    const spec = finishCase(draftCase(5, { mode: "leader-follower" })).spec;
    const { spec: small } = shrink(spec, (c) => {
      try {
        resolve(c);
        return true;
      } catch {
        return false;
      }
    }, { maxRuns: 60 });
    assert.doesNotThrow(() => resolve(small));
  });
});
