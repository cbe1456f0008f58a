// The replication-lag samples of a run (one per replica a second, and the
// moments that matter between them), kept in memory bounded by the number of
// replicas (multi-leader: by the leaders' streams), never by the run's length: a six-hour run of 64 nodes would
// otherwise hold 1.4 million samples.
//
// A node keeps every sample while it has at most FULL_SAMPLES of them (an
// hour at one a second). Past that, its samples are kept per bucket of time,
// the bucket doubling in width whenever the node holds more than MAX_BUCKETS
// buckets. A bucket keeps what the reports read from the series:
// - its sample furthest behind in bytes and its sample furthest behind in
//   time (the earliest of equal ones), so every peak and the moment of it
//   stay exact however long the run;
// - its first sample caught up with the leader (see CAUGHT_UP_MS), so a
//   catch-up's end stays within one bucket.
// The rule is the same for one bucket and for two merged ones, so doubling a
// bucket keeps the same samples as bucketing at the wider width from the start.
import type { LagSample } from "./result.js";

/**
 * A replica has caught up once it is less than this far behind its leader in time. Streaming normally, it is never
 * level: the WAL in flight keeps it behind by the link's one-way delay plus the time to apply (a few ms in one region,
 * tens of ms across regions; a few KB at the sampled moment). A replica working through a backlog is behind by the
 * age of the oldest write it has not replayed: seconds. A second lies between the two, far above any link's normal
 * delay and far below the 5 s lag warning; it is also the sampling interval, so a catch-up ends within a sample of
 * the backlog being replayed. Time, not bytes: the bytes in flight grow with the write rate, the time does not.
 */
export const CAUGHT_UP_MS = 1000;

/** Whether a lag sample shows its replica caught up with the leader: streaming, no backlog left. */
export const caughtUp = (s: Pick<LagSample, "lagMs">): boolean => s.lagMs < CAUGHT_UP_MS;

/** Samples per node kept one by one (an hour at one a second: every run that short is kept whole). */
export const FULL_SAMPLES = 3600;
/** Buckets per node past FULL_SAMPLES; each keeps at most three samples. */
export const MAX_BUCKETS = 1024;

interface Kept extends LagSample {
  /** Order of arrival over all nodes: the series comes out in the order it was recorded. */
  seq: number;
}

interface NodeSeries {
  /** Bucket width in ms; 0 while every sample is kept. */
  widthMs: number;
  /** Every sample (width 0), or the kept samples of each bucket, oldest bucket first. */
  samples: Kept[];
  buckets: { index: number; kept: Kept[] }[];
}

export class LagSeries {
  private readonly nodes = new Map<string, NodeSeries>();
  private seq = 0;

  /** A sample of `node`'s lag (multi-leader: of its apply of `origin`'s stream, a series of its own). */
  add(atMs: number, node: string, lagBytes: number, lagMs: number, origin?: string): void {
    const id = origin === undefined ? node : `${node}\u0000${origin}`;
    let series = this.nodes.get(id);
    if (!series) this.nodes.set(id, (series = { widthMs: 0, samples: [], buckets: [] }));
    const sample: Kept = { atMs, node, ...(origin !== undefined ? { origin } : {}), lagBytes, lagMs, seq: this.seq++ };
    if (series.widthMs === 0) {
      series.samples.push(sample);
      if (series.samples.length > FULL_SAMPLES) startBuckets(series);
      return;
    }
    addToBucket(series, sample);
  }

  /** Every kept sample, in the order they were recorded. */
  samples(): LagSample[] {
    const all: Kept[] = [];
    for (const series of this.nodes.values()) {
      if (series.widthMs === 0) all.push(...series.samples);
      else for (const b of series.buckets) all.push(...b.kept);
    }
    all.sort((a, b) => a.seq - b.seq);
    return all.map(({ atMs, node, origin, lagBytes, lagMs }) => ({ atMs, node, ...(origin !== undefined ? { origin } : {}), lagBytes, lagMs }));
  }
}

/** What a bucket keeps of `samples` (in arrival order): see the file's header. */
function keep(samples: readonly Kept[]): Kept[] {
  let bytes = samples[0];
  let ms = samples[0];
  let level: Kept | undefined;
  for (const s of samples) {
    if (s.lagBytes > bytes.lagBytes) bytes = s;
    if (s.lagMs > ms.lagMs) ms = s;
    if (level === undefined && caughtUp(s)) level = s;
  }
  return [...new Set([bytes, ms, ...(level ? [level] : [])])].sort((a, b) => a.seq - b.seq);
}

function startBuckets(series: NodeSeries): void {
  const span = series.samples[series.samples.length - 1].atMs - series.samples[0].atMs;
  let width = 1000;
  while (span / width >= MAX_BUCKETS) width *= 2;
  series.widthMs = width;
  for (const s of series.samples) addToBucket(series, s);
  series.samples = [];
}

function addToBucket(series: NodeSeries, sample: Kept): void {
  const index = Math.floor(sample.atMs / series.widthMs);
  const last = series.buckets[series.buckets.length - 1];
  if (last !== undefined && last.index === index) last.kept = keep([...last.kept, sample]);
  else series.buckets.push({ index, kept: [sample] });
  if (series.buckets.length > MAX_BUCKETS) widen(series);
}

/** Doubles the bucket width: each pair of neighbouring buckets becomes one. */
function widen(series: NodeSeries): void {
  series.widthMs *= 2;
  const merged: { index: number; kept: Kept[] }[] = [];
  for (const b of series.buckets) {
    const index = Math.floor(b.index / 2);
    const last = merged[merged.length - 1];
    if (last !== undefined && last.index === index) last.kept = keep([...last.kept, ...b.kept]);
    else merged.push({ index, kept: b.kept });
  }
  series.buckets = merged;
}
