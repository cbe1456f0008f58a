// Settings that follow from other settings, computed once when a topology is
// resolved, so that the engine, the linter, the drills and the live runner
// read one number instead of each re-deriving it (and one of them drifting).
// None of this is user input: it never appears in the file format's schema.
import { detectionRange, renewalPeriodMs, type Detection } from "../base/failover-timing.js";
import type { ResolvedFailover, ResolvedArbiter, ResolvedNode, ResolvedReplication } from "./types.js";
import type { DerivedCoordinator, DerivedDetection, DerivedSettings, PatroniTiming } from "./derived-types.js";
import { presetOf, type Preset } from "./presets.js";

export type { DerivedCoordinator, DerivedDetection, DerivedSettings, PatroniTiming };

/** A strict majority of `count` members. */
export function majorityOf(count: number): number {
  return Math.floor(count / 2) + 1;
}

/** Patroni's timing relation for a lease, as the file states it; null for heartbeat detection. */
export function patroniTiming(detection: Detection): PatroniTiming | null {
  if (detection.kind !== "lease") return null;
  const stated = detection.given ?? detection;
  const neededMs = stated.loopWaitMs + 2 * stated.retryTimeoutMs;
  const slackMs = detection.ttlMs - neededMs;
  const adjusted = detection.given ? { loopWaitMs: detection.loopWaitMs, retryTimeoutMs: detection.retryTimeoutMs } : null;
  return { ttlMs: detection.ttlMs, loopWaitMs: stated.loopWaitMs, retryTimeoutMs: stated.retryTimeoutMs, neededMs, slackMs, fits: slackMs >= 0, adjusted };
}

export function deriveDetection(detection: Detection): DerivedDetection {
  const range = detectionRange(detection);
  const ttlMs = detection.kind === "lease" ? detection.ttlMs : detection.misses * detection.intervalMs;
  return { ttlMs, renewalPeriodMs: renewalPeriodMs(detection), minMs: range.minMs, maxMs: range.maxMs };
}

/**
 * Computes the derived block from resolved settings. Code that builds or
 * rewrites a topology (the live runner rounding Patroni's timings, a test)
 * calls it again so that the block matches the settings it carries.
 */
export function deriveSettings(settings: {
  preset: string;
  regions: Readonly<Record<string, readonly string[]>>;
  nodes: readonly ResolvedNode[];
  arbiters: readonly ResolvedArbiter[];
  replication: ResolvedReplication;
  failover: ResolvedFailover;
}): DerivedSettings {
  const { regions, nodes, replication, failover } = settings;
  const members = coordinatorMembers(settings);
  const { promotesFailedLeader, replicasServeReads, sharedStorage, replacesFailedLeaderMs, walSenderTimeoutMs, consensus } = presetOf(settings);
  return {
    zones: Object.entries(regions).flatMap(([region, zones]) => zones.map((zone) => `${region}/${zone}`)),
    regions: Object.keys(regions),
    // Arbiters vote: a replica set's majority counts them.
    majority: majorityOf(nodes.length + settings.arbiters.length),
    quorumMajority: replication.mode === "leaderless" ? majorityOf(replication.n) : null,
    coordinator: { members, majority: members.length === 0 ? 0 : majorityOf(members.length), nodesVote: nodesVote(settings) },
    system: {
      promotesFailedLeader,
      replicasServeReads,
      sharedStorage,
      replacesFailedLeaderMs,
      // The file's wal_sender_timeout, or the system's default (a system without one refuses it when resolved).
      walSenderTimeoutMs: replication.mode === "leader-follower" ? replication.walSenderTimeoutMs : walSenderTimeoutMs,
      periodicQuorumCheck: consensus.periodicQuorumCheck,
      stickyVotes: consensus.stickyVotes,
      electionRounds: consensus.electionRounds,
    },
    detection: deriveDetection(failover.detection),
    patroni: patroniTiming(failover.detection),
  };
}

/**
 * Where the coordinator's members live, one rule for every reader (the engine places its members from here):
 * - a zone ("us-east/b") is one member in that zone;
 * - a region given alone (`coordinator: us-east`) is a store spread over the
 *   region's zones, one member per zone, as an etcd cluster across a region's
 *   availability zones is deployed;
 * - a region inside a list is one member in that region (its first zone), so a
 *   list of three regions is a three-member store across regions;
 * - a consensus group's members are its own nodes (the group is its own store),
 *   one per member region, in the zone of its first node there;
 * - a preset whose data nodes elect their leader themselves (a MongoDB replica
 *   set) has one member per node, in the node's zone, and one per arbiter: a
 *   node leads, and is elected, only while it reaches a majority of them;
 * - a managed service's control plane (Aurora, RDS Multi-AZ) is always
 *   reachable: no members to lose.
 */
export function coordinatorMembers(settings: {
  preset: string;
  regions: Readonly<Record<string, readonly string[]>>;
  nodes: readonly ResolvedNode[];
  arbiters: readonly ResolvedArbiter[];
  replication: ResolvedReplication;
  failover: ResolvedFailover;
}): string[] {
  const { nodes } = settings;
  const electedBy = electedByOf(settings.preset);
  if (electedBy === "managed") return [];
  // An unknown region is reported by the resolver and fails the load; until then it must not throw here.
  const zonesOf = (region: string): readonly string[] => settings.regions[region] ?? [];
  const listed = settings.failover.coordinator;
  if (settings.replication.mode === "consensus") {
    return listed.map((region) => nodes.find((n) => n.region === region)?.zone ?? `${region}/${zonesOf(region)[0]}`);
  }
  // The data nodes first, in order (the engine's member i is node i), then the arbiters.
  if (electedBy === "members") return [...nodes.map((n) => n.zone), ...settings.arbiters.map((a) => a.zone)];
  if (listed.length === 1 && !listed[0].includes("/")) return zonesOf(listed[0]).map((zone) => `${listed[0]}/${zone}`);
  return listed.map((member) => (member.includes("/") ? member : `${member}/${zonesOf(member)[0]}`));
}

/** Whether the nodes themselves are the coordinator's members (a consensus group, a replica set that votes): each is up or down, reachable or cut off, as a node. */
export function nodesVote(settings: { preset: string; replication: ResolvedReplication }): boolean {
  return settings.replication.mode === "consensus" || electedByOf(settings.preset) === "members";
}

function electedByOf(preset: string): Preset["electedBy"] {
  return presetOf({ preset }).electedBy;
}
