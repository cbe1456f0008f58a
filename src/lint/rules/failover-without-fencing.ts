// Promoting a replica while the old leader may still be alive and accepting
// writes gives two leaders with diverging histories: split brain.
import { modeIs } from "../design.js";
import type { Rule } from "../types.js";

export const failoverWithoutFencing: Rule = {
  id: "failover-without-fencing",
  severity: "error",
  description: "Automatic failover must fence the old leader (lease or STONITH) before a replica is promoted.",
  hint: "Fence the old leader before promoting: fencing: lease or stonith.",
  docs: {
    why:
      "Promoting a replica while the old leader may still be alive and accepting writes gives two leaders with diverging histories: split brain. " +
      "A leader that was only slow or cut off comes back and keeps acknowledging writes that the new leader never sees; " +
      "when the two are reconciled, one side's writes are lost.",
    fix:
      "Fence before you promote: `fencing: lease` (the old leader demotes itself when it cannot renew its lease) or `stonith` (power it off). " +
      "Fencing must finish before the promotion, not run beside it; otherwise a leader that was only slow comes back and keeps accepting writes.",
    example: {
      bad: [
        "failover:",
        "  mode: automatic",
        "  fencing: none",
      ],
      good: [
        "failover:",
        "  mode: automatic",
        "  fencing: lease",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leader-follower") && t.failover.mode === "automatic",
  check({ topology }) {
    const f = topology.failover;
    if (topology.replication.mode !== "leader-follower" || f.mode !== "automatic" || f.fencing !== "none") return [];
    return [
      {
        path: ["failover", "fencing"],
        message: "automatic failover with fencing: none — nothing stops the old leader from accepting writes after a replica is promoted (split brain: two leaders, two histories, and writes lost when they are reconciled)",
      },
    ];
  },
};
