// The swarm's summary (per mode and per oracle) and its failure files: each
// failing case becomes a scenario file whose header says which oracle failed,
// what it found and how to replay it.
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import { ORACLES } from "./oracles.js";
import { caseYaml } from "./spec.js";
import type { SwarmFailure, SwarmSummary } from "./swarm.js";

const count = (n: number) => n.toLocaleString("en-US");

export function renderSwarmSummary(summary: SwarmSummary, elapsedMs: number, chalk: ChalkInstance): string {
  const modes = new Table({ head: ["mode", "cases", "failed"].map((h) => chalk.bold(h)), style: { head: [], border: [] } });
  for (const [mode, tally] of Object.entries(summary.byMode)) {
    if (tally.cases > 0) modes.push([mode, count(tally.cases), tally.failed > 0 ? chalk.red(count(tally.failed)) : "0"]);
  }
  const oracles = new Table({ head: ["oracle", "kind", "applied", "failed"].map((h) => chalk.bold(h)), style: { head: [], border: [] } });
  for (const [id, tally] of Object.entries(summary.byOracle)) {
    oracles.push([id, tally.kind, count(tally.applied), tally.failed > 0 ? chalk.red(count(tally.failed)) : "0"]);
  }
  const failed = summary.failures.length;
  const verdict = failed === 0 ? chalk.green("no oracle violation") : chalk.red(`${count(failed)} oracle violation${failed === 1 ? "" : "s"}`);
  return [
    `Swarm: ${count(summary.schedules)} schedules from seed ${summary.seed} in ${(elapsedMs / 1000).toFixed(1)}s — ${verdict}`,
    modes.toString(),
    oracles.toString(),
    ...firstFailures(summary.failures, chalk),
    ...minimisedCases(summary.failures),
  ].join("\n");
}

/** Minimised cases printed whole (ready for `repl-lab simulate`): the first few; the files hold all of them. */
const PRINTED_CASES = 3;

function minimisedCases(failures: SwarmFailure[]): string[] {
  return failures
    .filter((f) => f.minimised)
    .slice(0, PRINTED_CASES)
    .map((f) => `\n--- ${f.oracle}, seed ${f.caseSeed}, minimised (${failureFileName(f)}) ---\n${failureYaml(f)}`);
}

/** The first failure of each oracle and mode, with its findings. */
function firstFailures(failures: SwarmFailure[], chalk: ChalkInstance): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of failures) {
    const key = `${f.oracle} ${f.mode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${chalk.red(f.oracle)} (${f.mode}, seed ${f.caseSeed}${f.minimised ? ", minimised" : ""}): ${(f.minimisedFindings ?? f.findings)[0]}`);
  }
  return lines;
}

export function failureFileName(f: SwarmFailure): string {
  return `${f.oracle}-${f.mode}-${f.caseSeed}${f.minimised ? "-min" : ""}.yaml`;
}

/** A failing case as a ready-to-run scenario file (the minimised one when there is one). */
export function failureYaml(f: SwarmFailure): string {
  const spec = f.minimised ?? f.spec;
  const findings = f.minimisedFindings ?? f.findings;
  const description = ORACLES.find((o) => o.id === f.oracle)?.description ?? "the generated file loads";
  const header = [
    `Swarm failure: oracle ${f.oracle} (${f.kind}) — ${description}`,
    `Generator seed ${f.caseSeed} (${f.mode}); replay: repl-lab simulate ${failureFileName(f)}`,
    `or regenerate: npm run swarm -- --seed ${f.caseSeed} --schedules 1${f.scale === "full" ? "" : ` --scale ${f.scale}`}`,
    ...findings.slice(0, 5).map((x) => `found: ${x}`),
  ].join("\n");
  return caseYaml(spec, header);
}
