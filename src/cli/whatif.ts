// `repl-lab simulate TOPOLOGY --fault "crash pg-a at 30s" ...`: a what-if
// without a scenario file. The flags are turned into the scenario YAML a user
// would write (one fault per line, in the documented form), and that text goes
// through the same loader as a file, so its errors are the file's errors; each
// is then reported against the flag that produced the line it points at.
import { basename, isAbsolute, relative } from "node:path";
import { parseDuration } from "../base/units.js";
import { LIMITS } from "../base/limits.js";
import { didYouMean, InputError, UsageError, type Diagnostic } from "../model/diagnostics.js";

/** What a what-if takes from the command line. */
export interface WhatIfFlags {
  faults: string[];
  workload?: string;
  duration?: string;
  seed?: number;
}

export const WHAT_IF_DEFAULTS = { writes: 500, reads: 2000, durationMs: 120_000, durationText: "2m", tailMs: 60_000 } as const;

/** The fault phrases, one line each: the grammar `--help` shows. */
export const FAULT_PHRASES: readonly string[] = [
  "crash NODE at T [for D]",
  "recover NODE at T                   (also: restart)",
  "stall NODE at T [for D]             (the WAL sender ships nothing)",
  "slow NODE to RATE at T [for D]      (apply rate, writes/s)",
  "partition SIDE from SIDE [from SIDE...] at T [for D]",
  "heal at T",
  "latency +D between SIDE and SIDE at T [for D]   (also: delay)",
  "lose ZONE|REGION at T [for D]",
  "bad-write update-all|delete|drop CLASS [ROWS] at T [noticed after D]",
  "archive-fails at T [for D]",
  "promote-fails NODE at T",
  "rebuild NODE at T",
  "restore-drill at T",
];

type Value = string | number | boolean | Value[] | { [key: string]: Value };
type Fault = Record<string, Value>;

interface Verb {
  key: string;
  takesFor: boolean;
  build(args: string[], fail: (message: string) => never): Record<string, Value>;
}

const oneNode = (key: string, what = "node", example = "pg-a") => (args: string[], fail: (message: string) => never) => {
  const verb = key.replace(/_/g, "-");
  if (args.length === 0) fail(`expected a ${what} after "${verb}", e.g. "${verb} ${example} at 30s"`);
  if (args.length > 1) fail(`unexpected "${args.slice(1).join(" ")}" (one ${what}; use one --fault each)`);
  return { [key]: args[0] };
};

const nothing = (key: string, value: Value) => (args: string[], fail: (message: string) => never) => {
  if (args.length > 0) fail(`unexpected "${args.join(" ")}" ("${key.replace(/_/g, "-")}" takes only "at T")`);
  return { [key]: value };
};

const VERBS: Record<string, Verb> = {
  crash: { key: "crash", takesFor: true, build: oneNode("crash") },
  recover: { key: "recover", takesFor: false, build: oneNode("recover") },
  stall: { key: "stall", takesFor: true, build: oneNode("stall") },
  slow: { key: "slow", takesFor: true, build: slowFault },
  partition: { key: "partition", takesFor: true, build: partitionFault },
  heal: { key: "heal", takesFor: false, build: nothing("heal", true) },
  latency: { key: "latency", takesFor: true, build: latencyFault },
  lose: { key: "lose", takesFor: true, build: oneNode("lose", "zone or region", "us-east/a") },
  "bad-write": { key: "bad_write", takesFor: false, build: badWriteFault },
  "archive-fails": { key: "archive_fails", takesFor: true, build: nothing("archive_fails", true) },
  "promote-fails": { key: "promote_fails", takesFor: false, build: oneNode("promote_fails") },
  rebuild: { key: "rebuild", takesFor: false, build: oneNode("rebuild") },
  "restore-drill": { key: "restore_drill", takesFor: false, build: nothing("restore_drill", {}) },
};

const ALIASES: Record<string, string> = { restart: "recover", delay: "latency" };
export const FAULT_VERBS = Object.keys(VERBS);

function slowFault(args: string[], fail: (message: string) => never): Record<string, Value> {
  const to = args.indexOf("to");
  if (to !== 1 || args.length < 3) fail(`expected "slow NODE to RATE", e.g. "slow pg-c to 100/s at 40s"`);
  const rest = args.slice(3).join(" ");
  if (rest !== "" && !/^writes?\/s$/.test(rest)) fail(`unexpected "${rest}" after the rate`);
  const rate = Number(args[2].replace(/\/s$/, "").replace(/_/g, ""));
  if (!Number.isFinite(rate)) fail(`expected a rate in writes per second after "to", e.g. "to 100/s"; got "${args[2]}"`);
  return { slow: args[0], apply_rate: rate };
}

/** Sides are words separated by "from" or "|"; a side is a comma-separated list of nodes, zones or regions. */
function sides(words: string[]): string[][] {
  const out: string[][] = [[]];
  for (const word of words) {
    if (word === "from" || word === "|") out.push([]);
    else out[out.length - 1].push(...word.split(",").filter((w) => w !== ""));
  }
  return out;
}

function partitionFault(args: string[], fail: (message: string) => never): Record<string, Value> {
  const parts = sides(args);
  if (parts.length < 2 || parts.some((p) => p.length === 0)) {
    fail(`expected "partition SIDE from SIDE", each side nodes, zones or regions separated by commas, e.g. "partition us-east from us-west at 30s for 60s"`);
  }
  return { partition: parts };
}

/** "latency +D between SIDE and SIDE" or "latency SIDE and SIDE by D" ("|" may stand for "and"). */
function latencyFault(args: string[], fail: (message: string) => never): Record<string, Value> {
  const example = `e.g. "latency +50ms between pg-a and pg-c at 41s for 10s"`;
  const by = args.indexOf("by");
  const main = by >= 0 ? args.slice(0, by) : args;
  const between = main.indexOf("between");
  const added = [...main.slice(0, Math.max(0, between)), ...(by >= 0 ? args.slice(by + 1) : [])];
  const parts = main.slice(between + 1).map((w) => (w === "|" ? "and" : w));
  const and = parts.indexOf("and");
  const side = (words: string[]) => words.flatMap((w) => w.split(",")).filter((w) => w !== "");
  const [first, second] = [side(parts.slice(0, and)), side(parts.slice(and + 1))];
  if (and < 0 || first.length === 0 || second.length === 0 || parts.lastIndexOf("and") !== and) fail(`expected "latency +D between SIDE and SIDE", ${example}`);
  if (added.length !== 1) fail(`expected one added latency such as +50ms, ${example}`);
  return { latency: { between: [first, second], add: durationValue(added[0].replace(/^\+/, "")) } };
}

const STATEMENTS = ["update-all", "delete", "drop"];

function badWriteFault(args: string[], fail: (message: string) => never): Record<string, Value> {
  const example = `e.g. "bad-write delete accounts 10% at 50s noticed after 2d"`;
  const statement = args[0];
  if (statement === undefined) fail(`expected a statement (${STATEMENTS.join(", ")}) and a data class, ${example}`);
  if (!STATEMENTS.includes(statement)) fail(`unknown statement "${statement}"${didYouMean(statement, STATEMENTS)} (expected one of ${STATEMENTS.join(", ")})`);
  const words = args.slice(1).filter((w) => w !== "of" && w !== "rows");
  const rows = words.filter((w) => /^\d+(\.\d+)?%$|^0?\.\d+$|^[01]$/.test(w));
  const classes = words.filter((w) => !rows.includes(w));
  if (classes.length !== 1 || rows.length > 1) fail(`expected one data class and at most one share of rows, ${example}`);
  const badWrite: Record<string, Value> = { class: classes[0], statement };
  if (rows.length === 1) badWrite.rows = /%$/.test(rows[0]) ? rows[0] : Number(rows[0]);
  return { bad_write: badWrite };
}

/** The words of a phrase, with the spaces around commas and bars normalised. */
function words(phrase: string): string[] {
  return phrase.trim().replace(/\s*,\s*/g, ",").replace(/\s*\|\s*/g, " | ").split(/\s+/).filter((w) => w !== "");
}

/** Words that start a clause or join a phrase's parts: never a duration's unit. */
const CLAUSE_WORDS = new Set(["at", "for", "noticed", "after", "to", "from", "between", "and", "by", "of", "rows"]);

/** Takes the clauses "at T", "for D" and "noticed after D" out of the words; what is left are the verb's arguments. */
function clauses(all: string[], fail: (message: string) => never): { args: string[]; at?: string; for?: string; noticed?: string } {
  const out: { args: string[]; at?: string; for?: string; noticed?: string } = { args: [] };
  for (let i = 0; i < all.length; i++) {
    const noticed = all[i] === "noticed" && all[i + 1] === "after";
    const key = noticed ? "noticed" : all[i] === "at" ? "at" : all[i] === "for" ? "for" : undefined;
    if (key === undefined) {
      out.args.push(all[i]);
      continue;
    }
    const word = noticed ? "noticed after" : key;
    let value = all[i + (noticed ? 2 : 1)];
    if (value === undefined) fail(`expected a time after "${word}"`);
    if (out[key] !== undefined) fail(`"${word}" is given twice`);
    i += noticed ? 2 : 1;
    // "crash pg-a at 10 parsecs": with the verb's arguments already given, a word after the number is its unit (the loader
    // says what is wrong with it); "crash at 30 primary" names the node after the time, and the bare 30 is the problem.
    const unit = all[i + 1];
    if (out.args.length > 0 && /^\d+(\.\d+)?$/.test(value) && unit !== undefined && /^[a-z]+$/i.test(unit) && !CLAUSE_WORDS.has(unit.toLowerCase())) {
      value = `${value} ${unit}`;
      i++;
    }
    out[key] = value;
  }
  return out;
}

/** A duration word as the YAML would hold it: "30s" stays text, a bare 0 is the number 0. */
function durationValue(text: string): Value {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** One `--fault` phrase → the fault, as a mapping in the order a user writes it (at, action, for). */
export function parseFaultPhrase(phrase: string): Fault {
  const fail = (message: string): never => {
    throw new UsageError(`--fault "${phrase}": ${message}`);
  };
  const all = words(phrase);
  if (all.length === 0) fail(`expected a fault such as "crash pg-a at 30s" (one of ${FAULT_VERBS.join(", ")})`);
  const given = all[0].toLowerCase().replace(/_/g, "-");
  const name = ALIASES[given] ?? given;
  const verb = VERBS[name];
  if (verb === undefined) fail(`unknown fault '${all[0]}'${didYouMean(given, [...FAULT_VERBS, ...Object.keys(ALIASES)])} (expected one of ${FAULT_VERBS.join(", ")})`);
  const parts = clauses(all.slice(1), fail);
  if (parts.at === undefined) fail(`missing "at T", the time the fault strikes, e.g. "${name} ... at 30s"`);
  if (parts.for !== undefined && !verb.takesFor) fail(`"${name}" takes no "for D" (it happens once)`);
  if (parts.noticed !== undefined && name !== "bad-write") fail(`only a bad-write takes "noticed after D"`);
  const fault: Fault = { at: durationValue(parts.at!), ...verb.build(parts.args, fail) };
  if (parts.noticed !== undefined) (fault.bad_write as Record<string, Value>).noticed_after = durationValue(parts.noticed);
  if (parts.for !== undefined) fault.for = durationValue(parts.for);
  return fault;
}

const WORKLOAD_NUMBERS = ["writes", "reads", "clients", "keys"];
const WORKLOAD_TEXTS = ["write_size", "timeout"];
const WORKLOAD_KEYS = [...WORKLOAD_NUMBERS, ...WORKLOAD_TEXTS, "zones"];

/** `--workload writes=500,reads=2000,...` → the workload mapping, on top of the defaults. */
export function parseWorkloadFlag(text: string | undefined): Record<string, Value> {
  const workload: Record<string, Value> = { writes: WHAT_IF_DEFAULTS.writes, reads: WHAT_IF_DEFAULTS.reads };
  if (text === undefined) return workload;
  const given = new Set<string>();
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const eq = item.indexOf("=");
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().replace(/-/g, "_");
    const value = eq < 0 ? "" : item.slice(eq + 1).trim();
    if (!WORKLOAD_KEYS.includes(key)) throw new UsageError(`--workload "${text}": unknown key '${key}'${didYouMean(key, WORKLOAD_KEYS)} (expected KEY=VALUE with a key among ${WORKLOAD_KEYS.join(", ")})`);
    if (given.has(key)) throw new UsageError(`--workload "${text}": '${key}' is given twice; give each key once`);
    given.add(key);
    if (value === "") throw new UsageError(`--workload "${text}": '${key}' needs a value, e.g. ${key}=${key === "zones" ? "us-east/a+us-east/b" : key === "timeout" ? "1s" : key === "write_size" ? "1KB" : "500"}`);
    if (key === "zones") workload.zones = value.split("+").filter((z) => z !== "");
    else if (WORKLOAD_NUMBERS.includes(key)) workload[key] = /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    else workload[key] = value;
  }
  return workload;
}

/** Without --duration: two minutes, or a minute past the end of the last fault when that is later (at most the limit, 6h). */
export function defaultDuration(faults: Fault[]): string {
  const ms = (v: Value | undefined) => {
    const parsed = v === undefined ? undefined : parseDuration(v);
    return parsed !== undefined && parsed.ok ? parsed.value : 0;
  };
  const end = Math.max(0, ...faults.map((f) => ms(f.at) + ms(f.for)));
  if (end + WHAT_IF_DEFAULTS.tailMs <= WHAT_IF_DEFAULTS.durationMs) return WHAT_IF_DEFAULTS.durationText;
  const minutes = Math.min(Math.ceil((end + WHAT_IF_DEFAULTS.tailMs) / 60_000), LIMITS.scenarioDurationMs / 60_000);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

const PLAIN = /^[A-Za-z0-9/][A-Za-z0-9_./%+-]*$/;
const SPECIAL = /^(true|false|yes|no|on|off|null|y|n|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?)$/i;

/** A value in YAML flow style: plain words where YAML reads them back as the same text, JSON quoting elsewhere. */
export function flow(value: Value): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return PLAIN.test(value) && !SPECIAL.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  const entries = Object.entries(value);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")} }`;
}

export interface BuiltScenario {
  /** The scenario YAML, as a user would save it. */
  text: string;
  /** The name the text is loaded under (in the working directory, so that `topology:` resolves as printed). */
  file: string;
  /** Line number (1-based) → the flag that wrote that line. */
  origins: Map<number, string>;
}

/** The scenario YAML for a topology file and the what-if flags. */
export function buildWhatIf(topologyFile: string, flags: WhatIfFlags): BuiltScenario {
  const faults = flags.faults.map(parseFaultPhrase);
  const workload = parseWorkloadFlag(flags.workload);
  const reference = isAbsolute(topologyFile) ? relative(process.cwd(), topologyFile) : topologyFile;
  const topologyPath = (reference.startsWith("..") && isAbsolute(topologyFile) ? topologyFile : reference).split("\\").join("/");
  const stem = basename(topologyFile).replace(/\.ya?ml$/i, "").replace(/[^A-Za-z0-9_.-]/g, "-");
  const lines: string[] = [];
  const origins = new Map<number, string>();
  const add = (line: string, origin?: string) => {
    lines.push(line);
    if (origin !== undefined) origins.set(lines.length, origin);
  };
  const command = ["repl-lab simulate", topologyPath, ...flags.faults.map((f) => `--fault ${JSON.stringify(f)}`)];
  if (flags.workload !== undefined) command.push(`--workload ${JSON.stringify(flags.workload)}`);
  if (flags.duration !== undefined) command.push(`--duration ${flags.duration}`);
  add(`# A what-if scenario, built by: ${command.join(" ")}`);
  add("# The topology path is relative to this file: save it in the folder you ran the command in.");
  add("kind: scenario");
  add(`name: ${flow(`what-if-${stem}`.slice(0, 64).replace(/^[^A-Za-z0-9]+/, ""))}`);
  add(`topology: ${flow(topologyPath)}`);
  if (flags.seed !== undefined) add(`seed: ${flags.seed}`, "--seed");
  const duration = flags.duration === undefined ? defaultDuration(faults) : durationValue(flags.duration);
  add(`duration: ${flow(duration)}`, flags.duration === undefined ? `the default --duration ${duration}` : `--duration ${flags.duration}`);
  add(`workload: ${flow(workload)}`, flags.workload === undefined ? undefined : `--workload "${flags.workload}"`);
  if (faults.length > 0) add("faults:");
  faults.forEach((fault, i) => add(`  - ${flow(fault)}`, `--fault "${flags.faults[i]}"`));
  return { text: `${lines.join("\n")}\n`, file: "what-if.yaml", origins };
}

/** Rewrites the diagnostics about the built text so that each names the flag behind its line. */
export function blameFlags(error: InputError, built: BuiltScenario): InputError {
  const diagnostics: Diagnostic[] = error.diagnostics.map((d) => {
    if (d.file !== built.file) return d;
    const origin = built.origins.get(d.line);
    // A message may name another line of the built text, "(line 9)": the flag that wrote it says more.
    const message = d.message.replace(/\(line (\d+)\)/g, (whole, line: string) => {
      const other = built.origins.get(Number(line));
      return other === undefined ? whole : `(${other})`;
    });
    return { file: origin ?? "the what-if scenario (see --print-scenario)", line: 0, column: 0, message };
  });
  // A problem of a line no flag wrote (the default duration and workload built around the faults) follows from a
  // flag's problem when there is one (a fault at 10h stretches the run past every limit): say the flag's alone.
  const blamed = diagnostics.filter((d) => !d.file.startsWith("the what-if scenario"));
  return new InputError(blamed.length > 0 && blamed.length < diagnostics.length ? blamed : diagnostics);
}
