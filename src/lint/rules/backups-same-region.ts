// Backups that live beside the data die with it: a region loss takes the
// primary, its in-region replicas and an in-region archive together.
import { leaderRegion } from "../design.js";
import type { Rule } from "../types.js";

export const backupsSameRegion: Rule = {
  id: "backups-same-region",
  severity: "warning",
  description: "The WAL archive and base backups must not all live in the leader's region (or nowhere stated).",
  hint: "Ship the WAL archive and the base backups to another region than the leader's.",
  docs: {
    why: "Backups that live beside the data die with it: a region loss takes the primary, its in-region replicas and an in-region archive together.",
    fix:
      "Ship the WAL archive and the base backups to another region (`backups.wal_archive.region`, `base_backups.region` or `base_backups.copy_to`). " +
      "A cross-region replica does not count: it replays a bad write like any other, so it is not a backup.",
    example: {
      bad: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-east }      # the leader's region",
        "  base_backups: { every: 24h, retain: 30d, region: us-east }",
      ],
      good: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "  base_backups: { every: 24h, retain: 30d, region: us-west }",
      ],
    },
  },
  appliesTo: (t) => t.backups !== null,
  check({ topology }) {
    const backups = topology.backups;
    if (backups === null) return [];
    const locations: { region: string | null; path: PropertyKey[] }[] = [];
    if (backups.walArchive.mode !== "none") locations.push({ region: backups.walArchive.region, path: ["backups", "wal_archive", "region"] });
    if (backups.baseBackups) {
      locations.push({ region: backups.baseBackups.region, path: ["backups", "base_backups", "region"] });
      if (backups.baseBackups.copyTo) locations.push({ region: backups.baseBackups.copyTo, path: ["backups", "base_backups", "copy_to"] });
    }
    if (locations.length === 0) return []; // no-backups reports an empty block.
    // The region a loss would hurt: the leader's, or the only region a leaderless design has.
    const nodeRegions = [...new Set(topology.nodes.map((n) => n.region))];
    const leader = leaderRegion(topology);
    const home = leader ?? (nodeRegions.length === 1 ? nodeRegions[0] : null);
    const safe = locations.some((l) => l.region !== null && l.region !== home);
    if (safe) return [];
    const regions = [...new Set(locations.map((l) => l.region).filter((r): r is string => r !== null))];
    const where = regions.length === 0 ? "say no region (so they sit beside the data)" : home ? `are all in ${home}, ${leader ? "the leader's region" : "the only region with nodes"}` : `are all in ${regions.join(", ")}`;
    const stated = locations.find((l) => l.region !== null);
    return [
      {
        path: stated?.path ?? ["backups"],
        key: stated === undefined,
        message: `the WAL archive and base backups ${where}: losing ${home ?? "that region"} takes the live data and its backups together`,
      },
    ];
  },
};
