// Strict synchronous replication with no spare standby trades availability for
// durability: losing that one standby stops every write. That can be the right
// choice (the material calls it a feature for money), but it should be chosen
// knowingly, so the linter says it out loud. A failover manager that re-picks
// the sync standby among healthy replicas (Patroni's synchronous_mode) has
// spares beyond the list: every replica not tagged nosync.
import { listWords, syncCandidateNodes } from "../design.js";
import type { Rule } from "../types.js";

export const strictSingleSync: Rule = {
  id: "strict-single-sync",
  severity: "warning",
  description: "Strict synchronous mode has no spare standby (FIRST 1 (x), ANY 1 (x), and nothing else may stand in): writes halt while that standby is down.",
  hint: "List a spare standby (ANY 1 (b, c)), or ignore this rule with a reason if halting is intended.",
  docs: {
    why:
      "Strict synchronous replication with no spare standby trades availability for durability: " +
      "losing that one standby (a crash, a restart, a rebuild) stops every write. " +
      "That can be the right choice for money, but it should be chosen knowingly. " +
      "A failover manager that re-picks the synchronous standby among healthy replicas (Patroni's synchronous mode) has spares beyond the list: " +
      "every replica not tagged `nosync` — and with `when_none: any-standby` (Patroni 3.0's '*') any streaming standby, `nosync` ones included, acknowledges while too few proper ones stream.",
    fix:
      "To keep writing through one replica's outage, list a spare: `standbys: " +
      "\"ANY 1 (b, c)\"` still waits for one ack, from whichever standby answers first (or let the failover manager re-pick it: `synchronous.managed: " +
      "true`; with `when_none: any-standby` even a `nosync` replica acknowledges while the standby is down). If halting writes is the intended trade, say so with `# repl-lab: ignore strict-single-sync -- reason`.",
    example: {
      bad: [
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"FIRST 1 (pg-b)\", strict: true }",
      ],
      good: [
        "replication:",
        "  mode: leader-follower",
        "  synchronous: { standbys: \"ANY 1 (pg-b, pg-c)\", strict: true }",
      ],
    },
  },
  appliesTo: (t) => t.replication.mode === "leader-follower" && t.replication.sync !== null,
  check({ topology }) {
    const replication = topology.replication;
    if (replication.mode !== "leader-follower" || replication.sync === null || !replication.sync.strict) return [];
    const { names, count, method, managed, whenNone, lowersCount } = replication.sync;
    const others = topology.nodes.filter((n) => n.name !== topology.leader && !names.includes(n.name));
    // With '*' (when_none: any-standby) any streaming standby acknowledges while too few proper ones stream.
    if (managed && whenNone === "any-standby" && others.length > 0) return [];
    // A count the failover manager lowers to the standbys that stream (Patroni) blocks only when none does.
    if (syncCandidateNodes(topology, replication.sync).length > (lowersCount ? Math.min(1, count) : count)) return [];
    const standbys = listWords(names);
    const spec = `${method.toUpperCase()} ${count} (${names.join(", ")})`;
    const why = !managed ? "" : others.length === 0 ? ", and there is no other replica to stand in" : `, and no other replica may stand in (${listWords(others.map((n) => n.name))} ${others.length === 1 ? "is" : "are"} tagged nosync)`;
    const message =
      names.length === 1
        ? `strict synchronous mode with a single synchronous standby (${spec}${why}): while ${standbys} is down, restarting or being rebuilt, every write blocks`
        : `strict synchronous mode needs all of its ${names.length} listed standbys (${spec}${why}): while any one of ${standbys} is down, every write blocks`;
    return [{ path: ["replication", "synchronous", "standbys"], message }];
  },
};
