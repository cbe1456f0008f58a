// The bordered text table of the simulate, live and drill reports.
import Table from "cli-table3";
import type { ChalkInstance } from "chalk";

export function textTable(head: string[], chalk: ChalkInstance): Table.Table {
  // cli-table3 colours headers itself; switch that off so chalk (and NO_COLOR) decide.
  return new Table({ head: head.map((h) => chalk.bold(h)), style: { head: [], border: [] } }) as Table.Table;
}
