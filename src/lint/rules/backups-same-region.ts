// Backups that live beside the data die with it: a region loss takes the
// primary, its in-region replicas and an in-region archive together.
import { leaderRegion } from "../design.js";
import type { Rule } from "../types.js";

export const backupsSameRegion: Rule = {
  id: "backups-same-region",
  severity: "warning",
  description: "The WAL archive and base backups must not live in the leader's region (or nowhere stated): a restore elsewhere needs both.",
  hint: "Ship the WAL archive and the base backups to another region than the leader's.",
  docs: {
    why:
      "Backups that live beside the data die with it: a region loss takes the primary, its in-region replicas and an in-region archive together. " +
      "A restore in another region needs both halves there: a base backup to start from and the archived WAL to replay onto it, so one half shipped away and the other left beside the data is no way back either.",
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
    const outside = (l: { region: string | null }) => l.region !== null && l.region !== home;
    const safe = locations.some(outside);
    if (safe) {
      // A restore in another region needs both halves there: a base backup to start from and the WAL to replay onto
      // it. One half safe and the other beside the data is as good as neither once that region goes.
      const archive = locations.filter((l) => l.path[1] === "wal_archive");
      const base = locations.filter((l) => l.path[1] === "base_backups");
      if (archive.length === 0 || base.length === 0 || home === null) return [];
      const archiveSafe = archive.some(outside);
      const baseSafe = base.some(outside);
      if (archiveSafe && baseSafe) return [];
      const stuck = archiveSafe ? base : archive;
      const kept = (archiveSafe ? archive : base).find(outside)!;
      const where = (l: { region: string | null }) => (l.region === null ? "say no region (so they sit beside the data)" : `are in ${l.region}`);
      const lead = leader ? "the leader's region" : "the only region with nodes";
      const message = archiveSafe
        ? `the base backups ${where(stuck[0])}${stuck[0].region === null ? "" : `, ${lead}`}, with every copy of them: losing ${home} leaves the WAL archive in ${kept.region} nothing to replay onto, so a restore in another region is impossible`
        : `the WAL archive ${stuck[0].region === null ? "says no region (so it sits beside the data)" : `is in ${home}, ${lead}`}: losing ${home} takes it, and the base backups in ${kept.region} have no WAL to replay, so nothing written after the last base backup can be restored`;
      return [{ path: stuck[0].region === null ? ["backups"] : stuck[0].path, key: stuck[0].region === null, message }];
    }
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
