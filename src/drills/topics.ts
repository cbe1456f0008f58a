// The nine topics every drill is tagged with. They follow the material's
// sections, so "accuracy per topic" tells a candidate which section to reread.
import { didYouMean, UsageError } from "../model/diagnostics.js";

export const TOPICS = [
  "replication modes",
  "sync vs async",
  "quorum",
  "failover",
  "split brain",
  "backups and PITR",
  "RPO/RTO",
  "read routing",
  "cross-region",
] as const;

export type Topic = (typeof TOPICS)[number];

/** A flag-friendly spelling: "backups and PITR" → "backups-and-pitr", "RPO/RTO" → "rpo-rto". */
export function topicSlug(topic: string): string {
  return topic
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Accepts a topic as written, in any case, or as its slug; a typo gets a "did you mean". */
export function parseTopic(text: string): Topic {
  const slug = topicSlug(text);
  const found = TOPICS.find((t) => topicSlug(t) === slug);
  if (found) return found;
  throw new UsageError(`unknown topic "${text}"${didYouMean(slug, TOPICS.map(topicSlug))}; expected one of: ${TOPICS.map(topicSlug).join(", ")}`);
}
