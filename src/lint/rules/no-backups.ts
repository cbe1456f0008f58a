// Replication copies every write, the bad ones included: a DELETE without its
// WHERE reaches every replica in seconds. Only a copy from before the mistake
// brings the data back.
import type { Rule } from "../types.js";

export const noBackups: Rule = {
  id: "no-backups",
  severity: "error",
  description: "A design needs backups (a WAL archive for point-in-time restore, base backups) separate from its replicas.",
  hint: "Add a continuous WAL archive and base backups, kept in another region: replicas are not backups.",
  docs: {
    why:
      "Replication copies every write, the bad ones included: an UPDATE or DELETE without its WHERE reaches every replica within seconds. " +
      "Replicas survive hardware failure; only a copy from before the mistake survives software and operator failure.",
    fix:
      "Add a continuous WAL archive (point-in-time restore) and base backups, kept in another region, with a restore drill: `backups: { wal_archive: " +
      "{ mode: continuous, region: R }, base_backups: { every: 24h, retain: 30d, region: R }, pitr_window: 7d, drill: { every: 30d } }`.",
    example: {
      bad: [
        "# no backups: block",
      ],
      good: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "  base_backups: { every: 24h, retain: 30d, region: us-west }",
        "  pitr_window: 7d",
      ],
    },
  },
  check({ topology }) {
    const backups = topology.backups;
    if (backups === null) {
      return [{ path: ["backups"], message: "there is no backups: block — replication copies a bad UPDATE or DROP to every replica within seconds, and there is nothing older to restore from" }];
    }
    if (backups.walArchive.mode === "none" && backups.baseBackups === null) {
      return [{ path: ["backups"], key: true, message: "the backups: block has neither a WAL archive nor base backups, so nothing can be restored after a bad write" }];
    }
    return [];
  },
};
