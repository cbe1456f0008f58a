// GitHub-flavoured markdown pieces every markdown report uses: a safe table
// cell and a table. One implementation, so escaping fixes reach every report.

/** Text for a table cell: pipes escaped, HTML neutralised (a "<never" must not open a tag), one line. */
export function cell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A table of cells already escaped; `align` marks right-aligned (numeric) columns with "r". */
export function mdTable(head: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const sep = head.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [head, sep, ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}
