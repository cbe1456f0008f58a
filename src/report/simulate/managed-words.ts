// The words of a managed service's failover (Aurora, RDS Multi-AZ). They run
// PostgreSQL (or MySQL) underneath and keep its nouns (WAL, timeline), but no
// Patroni runs them: the service's control plane watches the primary, fences
// it, picks the instance to promote and moves the DNS name. It holds no leader
// key a replica could race for, and a primary back before the control plane
// acted keeps its role without a lease. Only the facts whose words differ are
// here; the others read as PostgreSQL's (timeline.ts).
import type { TimelineFact } from "../../engine/result.js";
import { formatDuration, formatSize } from "../../base/units.js";
import type { SharedWords } from "./system-words.js";

/** The presets whose failover a managed control plane runs. */
const MANAGED: readonly string[] = ["aurora", "rds-multi-az"];

/** The fact in a managed service's words, or null when it reads as PostgreSQL's. */
export function managedText(e: TimelineFact, shared: SharedWords): string | null {
  if (shared.preset === undefined || !MANAGED.includes(shared.preset)) return null;
  const names = (list: string[]) => list.join(", ");
  switch (e.event) {
    case "elect":
      if (e.why.kind !== "race") return null;
      return `the control plane picks it: level with ${names(e.why.tiedWith)} at WAL position ${formatSize(e.lsn)} with equal priority (${shared.preset === "aurora" ? "the same failover tier; " : ""}the first in its order)`;
    case "fence":
      if (e.via !== "stonith") return null;
      return `the control plane fences the old primary (${formatDuration(e.fencingMs)}): it takes no more writes`;
    case "recover":
      if (e.as === "leader-within-lease") return "host back before the control plane failed it over: it restarts as the primary (no failover happened)";
      if (e.as === "replica-racing") return "host back after the control plane declared it failed: it restarts as a replica";
      // No primary up (the failover has not put one up, or the promoted instance went down too): nothing to rebuild
      // it from yet. It waits as a replica; the control plane may yet pick it.
      if (e.as === "replica-rewind" && e.noLeader)
        return "host back after the control plane declared it failed, but no primary is up: it restarts as a replica and waits; the service can rebuild it only from a new primary once one is up, unless the control plane promotes this one";
      // No pg_rewind by hand: the service brings the old primary back as a replica of the new one.
      if (e.as === "replica-rewind") return `host back after the control plane failed it over: the service rebuilds it as a replica of the new primary (~${formatDuration(e.rejoinMs)})`;
      return null;
    case "redundancy":
      // Aurora's readers hold no copy a commit waits for: the shared volume keeps six across three zones.
      if (shared.preset !== "aurora" || e.sync !== "async-only") return null;
      if (e.replicas === 0) return "no readers; every write is on the shared volume (six copies across three zones)";
      return `${e.up} of ${e.replicas} readers up; every write is on the shared volume (six copies across three zones), which the readers do not add to`;
    case "rewind":
      return `the rebuild discards ${formatSize(e.discardedBytes)} of WAL not on timeline ${e.timeline}`;
    default:
      return null;
  }
}
