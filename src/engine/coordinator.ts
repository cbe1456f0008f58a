// Where the coordinator's (the consensus store's) members live. One rule,
// read by the engine and the linter alike:
// - a zone ("us-east/b") is one member in that zone;
// - a region given alone (`coordinator: us-east`) is a store spread over the
//   region's zones, one member per zone, as an etcd cluster across a region's
//   availability zones is deployed;
// - a region inside a list is one member in that region (its first zone), so a
//   list of three regions is a three-member store across regions;
// - a consensus group's members are its own nodes (the group is its own store);
// - a managed service's control plane (Aurora, RDS Multi-AZ) runs in every zone
//   of the region, beyond the zones the design lists: it is always reachable
//   (no members to lose).
import type { ResolvedTopology } from "../model/types.js";

const MANAGED_CONTROL_PLANES: readonly string[] = ["aurora", "rds-multi-az"];

export function coordinatorMembers(topology: ResolvedTopology): string[] {
  if (MANAGED_CONTROL_PLANES.includes(topology.preset)) return [];
  const listed = topology.failover.coordinator;
  if (topology.replication.mode === "consensus") {
    return listed.map((region) => topology.nodes.find((n) => n.region === region)?.zone ?? `${region}/${topology.regions[region][0]}`);
  }
  if (listed.length === 1 && !listed[0].includes("/")) return topology.regions[listed[0]].map((zone) => `${listed[0]}/${zone}`);
  return listed.map((member) => (member.includes("/") ? member : `${member}/${topology.regions[member][0]}`));
}

/** Whether the coordinator keeps a majority of its members when `zone` is lost. */
export function coordinatorSurvivesZoneLoss(topology: ResolvedTopology, zone: string): boolean {
  const members = coordinatorMembers(topology);
  if (members.length === 0) return true;
  const left = members.filter((m) => m !== zone).length;
  return left * 2 > members.length;
}
