// Shared by the two drill rules: when the last drill ran and when the next one
// was due, in whole UTC days.
export const DAY_MS = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function drillDueMs(last: string, everyMs: number): number {
  return Date.parse(`${last}T00:00:00Z`) + everyMs;
}
