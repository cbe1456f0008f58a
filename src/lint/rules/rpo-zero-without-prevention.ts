// Replication copies a careless UPDATE to every replica, and a restore takes
// time and loses the writes made since. For data that must not be lost, the
// material's prevention layer catches or undoes the mistake more cheaply: a
// guard against unqualified DML, an audit log to replay legitimate writes, a
// logical dump of the table that reaches past the PITR window.
import type { Rule } from "../types.js";

export const rpoZeroWithoutPrevention: Rule = {
  id: "rpo-zero-without-prevention",
  severity: "warning",
  description: "A class with RPO 0 should have at least one prevention measure: a guard on unqualified DML, an audit log, or a logical backup of the class.",
  hint: "Add a guard (unqualified_dml: block), an audit log, or a logical backup of the class.",
  docs: {
    why:
      "Replication copies a careless UPDATE to every replica, and a restore takes time and loses the writes made since the restore point. " +
      "For data that must not be lost, a prevention layer catches or undoes the mistake more cheaply: " +
      "a guard against unqualified DML, an audit log to replay the legitimate writes, a logical dump that reaches past the PITR window.",
    fix:
      "Add the prevention layer: `backups.guards: { unqualified_dml: block }` refuses UPDATE and DELETE without WHERE; `backups.audit_log: " +
      "true` lets a restore replay the legitimate writes made since; `backups.logical: { classes: [...], retain: " +
      "90d }` keeps dumps of critical tables past the PITR window.",
    example: {
      bad: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
      good: [
        "backups:",
        "  wal_archive: { mode: continuous, region: us-west }",
        "  guards: { unqualified_dml: block }",
        "  audit_log: true",
        "data_classes:",
        "  ledger: { rpo: 0, rto: 30s }",
      ],
    },
  },
  appliesTo: (t) => t.backups !== null,
  check({ topology }) {
    const b = topology.backups;
    if (b === null) return []; // no-backups reports the bigger problem
    const guarded = b.guards.unqualifiedDml === "block" || b.auditLog;
    return topology.dataClasses
      .filter((c) => c.rpoMs === 0 && !guarded && !(b.logical?.classes.includes(c.name) ?? false))
      .map((c) => ({
        path: ["data_classes", c.name, "rpo"],
        message: `${c.name} must not lose data (RPO 0), but nothing prevents or undoes a bad statement: no guard on unqualified DML, no audit log, no logical backup of ${c.name} — a careless UPDATE reaches every replica in milliseconds and only a full restore remains`,
      }));
  },
};
