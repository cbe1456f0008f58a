// The words of an invariant violation: what the engine's own checkers found
// broken in a run (a bug in repl-lab), as the reports print it.
import type { Violation } from "../../engine/result.js";
import { timelineId } from "../../engine/write-log.js";
import { formatCount } from "../common/format.js";

export function violationText(v: Violation): string {
  const text = checkText(v);
  return v.seed === undefined ? text : `seed ${v.seed}: ${text}`;
}

function checkText(v: Violation): string {
  switch (v.check) {
    case "outcome":
      return `outcome: write ${v.writeId} (sent at ${v.sentMs}ms) has no outcome`;
    case "fencing":
      return `fencing: two nodes acknowledged writes at once for ${v.splitBrainMs}ms although fencing is "${v.fencing}"`;
    case "durability":
      return `durability: ${v.node} acknowledged WAL up to ${v.flushedLsn} as flushed but was promoted at ${v.forkLsn} on timeline ${timelineId(v.epoch)}`;
    case "handoff":
      return `hinted handoff: ${formatCount(v.replayed)} hints replayed to ${v.node} but it was owed ${formatCount(v.owed)}`;
    case "more-in-trials":
      return `… and ${v.count} more violations in other trials`;
  }
}
