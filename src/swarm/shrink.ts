// Minimising a failing case: try smaller variants — fewer faults, shorter
// `for`s, faults earlier, less traffic, a shorter run, fewer nodes and data
// classes — and keep each one that still fails the same way, until nothing
// smaller fails or the run budget is spent. A variant the loader rejects is
// simply not smaller (it is not a case at all).
import { parseSyncStandbys } from "../base/units.js";
import { cloneCase, type CaseSpec, type FaultSpec, type TopologySpec } from "./spec.js";

export interface ShrinkOptions {
  /** Simulations the shrinker may spend (each variant costs one). */
  maxRuns?: number;
}

export interface ShrinkResult {
  spec: CaseSpec;
  runs: number;
  /** Variants that still failed and were kept. */
  steps: number;
}

type Variant = (spec: CaseSpec) => CaseSpec | null;

/** Greedy: apply the first variant that still fails, and start over from the smaller case. */
export function shrink(spec: CaseSpec, stillFails: (candidate: CaseSpec) => boolean, options: ShrinkOptions = {}): ShrinkResult {
  const budget = options.maxRuns ?? 200;
  let current = cloneCase(spec);
  let runs = 0;
  let steps = 0;
  for (let progress = true; progress && runs < budget; ) {
    progress = false;
    for (const variant of variants(current)) {
      if (runs >= budget) break;
      const candidate = variant(current);
      if (candidate === null) continue;
      runs++;
      if (!stillFails(candidate)) continue;
      current = candidate;
      steps++;
      progress = true;
      break;
    }
  }
  return { spec: current, runs, steps };
}

/** Variants from the most to the least simplifying. */
function variants(spec: CaseSpec): Variant[] {
  return [
    ...spec.faults.map((_, i) => dropFault(i)),
    ...(typeof spec.topology === "string" ? [] : dropNodes(spec.topology, spec.faults)),
    ...dataClassVariants(spec),
    shortenRun,
    halveTraffic,
    ...spec.faults.map((_, i) => shortenFor(i)),
    shiftAllEarlier,
    ...spec.faults.map((_, i) => moveEarlier(i)),
  ];
}

const SECOND = 1000;
const FIRST_FAULT_FLOOR_MS = 2 * SECOND;

function edit(spec: CaseSpec, change: (copy: CaseSpec) => boolean | void): CaseSpec | null {
  const copy = cloneCase(spec);
  return change(copy) === false ? null : copy;
}

const dropFault =
  (i: number): Variant =>
  (spec) =>
    edit(spec, (c) => void c.faults.splice(i, 1));

const shortenFor =
  (i: number): Variant =>
  (spec) =>
    edit(spec, (c) => {
      const f = c.faults[i];
      if (f.forMs === undefined || f.forMs <= SECOND) return false;
      f.forMs = Math.max(SECOND, Math.round(f.forMs / 2 / 100) * 100);
    });

function shiftAllEarlier(spec: CaseSpec): CaseSpec | null {
  return edit(spec, (c) => {
    const first = Math.min(...c.faults.map((f) => f.atMs));
    const shift = Math.round((first - FIRST_FAULT_FLOOR_MS) / 2 / 100) * 100;
    if (!(shift >= 500)) return false;
    for (const f of c.faults) f.atMs -= shift;
    c.durationMs = Math.max(c.durationMs - shift, latestStart(c.faults) + SECOND);
  });
}

/** Halves the gap between a fault and the one before it (faults stay in order). */
const moveEarlier =
  (i: number): Variant =>
  (spec) =>
    edit(spec, (c) => {
      const sorted = [...c.faults].sort((a, b) => a.atMs - b.atMs);
      const f = c.faults[i];
      const previous = sorted.filter((x) => x !== f && x.atMs <= f.atMs).reduce((m, x) => Math.max(m, x.atMs), FIRST_FAULT_FLOOR_MS);
      const gap = Math.round((f.atMs - previous) / 2 / 100) * 100;
      if (gap < 500) return false;
      f.atMs -= gap;
    });

function latestStart(faults: FaultSpec[]): number {
  return faults.reduce((m, f) => Math.max(m, f.atMs), 0);
}

function shortenRun(spec: CaseSpec): CaseSpec | null {
  return edit(spec, (c) => {
    const shorter = Math.max(latestStart(c.faults) + SECOND, Math.ceil((c.durationMs * 0.75) / SECOND) * SECOND);
    if (shorter >= c.durationMs) return false;
    c.durationMs = shorter;
  });
}

function halveTraffic(spec: CaseSpec): CaseSpec | null {
  return edit(spec, (c) => {
    const w = c.workload;
    const before = JSON.stringify(w);
    w.writes = Math.max(5, Math.floor(w.writes / 2));
    if (w.reads !== undefined) w.reads = w.reads <= 20 ? 0 : Math.floor(w.reads / 2);
    if (w.clients !== undefined) w.clients = Math.max(1, Math.floor(w.clients / 2));
    if (JSON.stringify(w) === before) return false;
  });
}

/** Names a fault mentions (nodes, zones, regions), as the scenario format writes them. */
function mentioned(faults: FaultSpec[]): Set<string> {
  const names = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === "string") names.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  faults.forEach((f) => collect(f.action));
  return names;
}

/** Removes nodes no fault names (never the leader); the sync list forgets them too. */
function dropNodes(topology: TopologySpec, faults: FaultSpec[]): Variant[] {
  const touched = mentioned(faults);
  return Object.entries(topology.nodes)
    .filter(([name, node]) => node.role !== "leader" && !touched.has(name) && !touched.has(node.zone))
    .map(([name]) => (spec: CaseSpec) =>
      edit(spec, (c) => {
        const t = c.topology as TopologySpec;
        delete t.nodes[name];
        if (Object.keys(t.nodes).length === 0) return false;
        return forgetSyncStandby(t, name);
      }),
    );
}

function forgetSyncStandby(topology: TopologySpec, name: string): boolean {
  const sync = topology.replication.synchronous as { standbys?: string } | undefined;
  if (sync?.standbys === undefined) return true;
  const parsed = parseSyncStandbys(sync.standbys);
  if (!parsed.ok) return false;
  const names = parsed.value.names.filter((n) => n !== name);
  if (names.length === 0 || names.length < parsed.value.count) return false;
  sync.standbys = `${parsed.value.method.toUpperCase()} ${parsed.value.count} (${names.join(", ")})`;
  return true;
}

/** With several data classes, try each alone (shares dropped: one class takes all the traffic). */
function dataClassVariants(spec: CaseSpec): Variant[] {
  if (typeof spec.topology === "string") return [];
  const names = Object.keys(spec.topology.data_classes);
  if (names.length < 2) return [];
  return names.map((keep) => (s: CaseSpec) =>
    edit(s, (c) => {
      const t = c.topology as TopologySpec;
      const { share: _share, ...rest } = t.data_classes[keep];
      void _share;
      t.data_classes = { [keep]: rest };
    }),
  );
}
