// Read routing: async replicas are behind the leader by design.
import { readsStaleReplica } from "../../src/lint/rules/reads-stale-replica.js";
import { at, ruleTester, topology } from "./helpers.js";

const classes = (line: string) => topology({ classes: `data_classes:\n  ${line}` });
const strongAny = classes("ledger: { rpo: 0, rto: 30s, consistency: strong, reads: any }");
const rywLag = classes("accounts: { rpo: 0, rto: 30s, consistency: read-your-writes, reads: { max_lag: 1MB } }");

ruleTester(readsStaleReplica, "error", {
  valid: [
    { name: "strong reads default to the leader", yaml: topology() },
    { name: "read-your-writes through session LSN tracking", yaml: classes("accounts: { rpo: 0, rto: 30s, consistency: read-your-writes, reads: session }") },
    { name: "eventual reads from any replica", yaml: classes("rollups: { rpo: 4h, rto: 1h, reads: { max_lag: 10MB } }") },
  ],
  invalid: [
    { name: "strong reads from any replica", yaml: strongAny, findings: [{ ...at(strongAny, "reads: any", "any"), includes: ["ledger needs strong reads", "reads: any"] }] },
    { name: "read-your-writes within a lag budget", yaml: rywLag, findings: [{ ...at(rywLag, "reads: { max_lag", "{"), includes: ["1MB behind"] }] },
  ],
});
