// User errors are data: a diagnostic names a file, a 1-based line and column,
// and a message saying what was expected. Bugs are assertions, not diagnostics.

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The file itself is at fault (missing, unreadable, not a regular file, too large, empty): placed at 1:1. */
  wholeFile?: true;
}

/** A problem with the whole file rather than a place in it: at 1:1, as lines and columns are 1-based. */
export function fileProblem(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, message, wholeFile: true };
}

/** Thrown for bad input; the CLI prints every diagnostic and exits 2. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "InputError";
    this.diagnostics = diagnostics;
  }
}

/** Bad flags or arguments (exit 2), with no file position. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Diagnostics reported per file; past this many, one note says how many more there were. */
export const MAX_DIAGNOSTICS = 50;

/** The note that ends a truncated list (line 0: it belongs to the whole file, and sorts last). */
export function truncationNote(file: string, hidden: number): Diagnostic {
  return { file, line: 0, column: 0, message: `${hidden} more problem${hidden === 1 ? " is" : "s are"} not shown (only the first ${MAX_DIAGNOSTICS} are)` };
}

export function formatDiagnostic(d: Diagnostic): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.column}: ${d.message}` : `${d.file}: ${d.message}`;
}

/** Edit distance counting an adjacent transposition as one edit ("sahre" → "share"), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = suggest(word, candidates);
  return match ? ` — did you mean "${match}"?` : "";
}
