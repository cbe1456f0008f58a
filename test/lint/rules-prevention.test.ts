// The prevention layer for data that must not be lost.
import { rpoZeroWithoutPrevention } from "../../src/lint/rules/rpo-zero-without-prevention.js";
import { BLOCKS, at, ruleTester, topology } from "./helpers.js";

const unguarded = BLOCKS.backups.replace("\n  guards: { unqualified_dml: block }", "");
const withBackups = (extra: string) => topology({ backups: `${unguarded}\n${extra}` });
const bare = topology({ backups: unguarded });

ruleTester(rpoZeroWithoutPrevention, "warning", {
  valid: [
    { name: "a guard on unqualified DML (the base design)", yaml: topology() },
    { name: "an audit log", yaml: withBackups("  audit_log: true") },
    { name: "a logical backup of the class", yaml: withBackups("  logical: { classes: [ledger], every: 24h, retain: 90d }") },
    { name: "no backups at all (no-backups reports it)", yaml: topology({ backups: "" }) },
  ],
  invalid: [
    { name: "RPO-0 class with no prevention", yaml: bare, findings: [{ ...at(bare, "ledger: { rpo: 0", "0"), includes: ["ledger must not lose data", "no guard"] }] },
    {
      name: "a logical backup of another class does not count",
      yaml: withBackups("  logical: { classes: [analytics], every: 24h, retain: 90d }"),
      findings: [{ ...at(withBackups("  logical: { classes: [analytics], every: 24h, retain: 90d }"), "ledger: { rpo: 0", "0"), includes: ["no logical backup of ledger"] }],
    },
  ],
});
