// The layers of src/, enforced by test/architecture/layers.test.ts (part of
// `npm test`) and by hand with `npx depcruise src --config .dependency-cruiser.cjs`.
//
// Every rule names folders, never files, so that moving a file inside its
// folder (or into a new subfolder, such as report/simulate/) keeps the rules
// right. Each layer lists what it MAY import; anything else under src/ is a
// violation. From the bottom up:
//
//   base/    the leaf: imports nothing of the project
//   model/   base
//   engine/  base, model (types only: the engine is handed resolved data); no node: modules
//   quorum/  base, model, engine
//   lint/    base, model, engine, quorum
//   drills/  base, model, engine, quorum, lint
//   live/    base, model, engine, lint, report
//   swarm/   base, model, engine, lint, quorum, report
//   parallel/ base, model, engine, lint, swarm (worker threads running the engine and explore's schedules; slices as files)
//   starters/ base, model (init's starter designs; the folder is planned)
//   report/  base, model, engine, quorum, lint, drills, and types of live and swarm
//   cli/     anything; only bin/ imports it
//
// Type-only imports (`import type ...`, `import { type X }` and `import("...").X`
// in a type) count as dependencies here, because the TypeScript sources are
// cruised before compilation; the rules that allow "types only" exempt them
// with dependencyTypesNot. Cycles count even through type-only imports: a
// cycle of types still ties the two folders together.

/**
 * A rule that forbids a layer from importing any folder of src/ outside its
 * list. Imports of cli/ are left to the only-bin-imports-cli rule, so that
 * each offending import is reported once.
 */
function layer(name, allowed, comment) {
  const self = name;
  const ok = [self, ...allowed, "cli"].join("|");
  return {
    name: allowed.length ? `${name}-imports-only-${allowed.join("-")}` : `${name}-imports-nothing-of-the-project`,
    severity: "error",
    comment,
    from: { path: `^src/${self}/` },
    to: { path: "^src/", pathNot: `^src/(${ok})/` },
  };
}

/** The dependency types of an import that vanishes when TypeScript compiles it. */
const TYPES_ONLY = ["type-only", "type-import"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import that cannot be resolved is either a broken import or a resolution problem in this config; either way the layer rules could not judge it.",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes two modules one: neither can be understood, tested or moved without the other. Break it by moving the shared part down a layer.",
      from: {},
      to: { circular: true },
    },
    layer("base", [], "base/ is the leaf module (seeded PRNG, distributions, percentiles, units, the failover-timing model); everything may build on it, so it may build on nothing."),
    layer("model", ["base"], "model/ is the file formats and their resolution; it must not reach up into the engine or the renderers."),
    layer("engine", ["base", "model"], "engine/ is the pure simulation; it sees the resolved model and the base helpers, nothing above it."),
    {
      name: "engine-imports-model-types-only",
      severity: "error",
      comment: "The engine is handed an already-resolved scenario: it may name model types (import type) but must not call into model/ at run time.",
      from: { path: "^src/engine/" },
      to: { path: "^src/model/", dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "pure-cores-no-node-builtins",
      severity: "error",
      comment: "The engine is a pure function of (scenario, seed), and the quorum calculator and its renderers are pure too: no fs, process, worker_threads or any other node: module (test/engine/purity.test.ts checks the wall clock, Math.random and console).",
      // The quorum renderers are matched both as report/quorum-*.ts and as
      // report/quorum/, so the rule survives report/'s move to per-command folders.
      from: { path: "^src/(engine/|quorum/|report/quorum[/-])" },
      to: { dependencyTypes: ["core"] },
    },
    layer("quorum", ["base", "model", "engine"], "quorum/ is the closed-form calculator; it may reuse the engine's pieces but knows nothing of linting, drills or output."),
    layer("lint", ["base", "model", "engine", "quorum"], "lint/ judges designs with the same timing and quorum models the engine uses; rendering its findings is report/'s job."),
    layer("drills", ["base", "model", "engine", "quorum", "lint"], "drills/ asks and grades questions; rendering them is report/'s job and the command is cli/'s, so drills/ must not import report/, cli/, live/ or swarm/."),
    layer("swarm", ["base", "model", "engine", "lint", "quorum", "report"], "swarm/ generates designs and judges runs; it may render with report/ but is driven by cli/, never the reverse."),
    layer("live", ["base", "model", "engine", "lint", "report"], "live/ runs scenarios on a real cluster; it may render with report/ but is driven by cli/, never the reverse."),
    layer("parallel", ["base", "model", "engine", "lint", "swarm"], "parallel/ runs the pure engine (trials) and explore's schedules on worker threads, and writes their slices as files (a trials slice carries the lint findings its run's page lists); it adds threads, never rules, so it sees only what those runs see."),
    layer("starters", ["base", "model"], "starters/ holds init's starter designs: data described with the model's types, for cli/ to write out."),
    layer("report", ["base", "model", "engine", "quorum", "lint", "drills", "live", "swarm"], "report/ renders results; it must not import the commands in cli/."),
    {
      name: "report-imports-live-swarm-types-only",
      severity: "error",
      comment: "report/ renders the results live/ and swarm/ produce, so it may name their types, but running a cluster or a search from a renderer would invert the layers.",
      from: { path: "^src/report/" },
      to: { path: "^src/(live|swarm)/", dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "only-bin-imports-cli",
      severity: "error",
      comment: "cli/ is the top: it parses flags and calls everything else. Only bin/ may import it; shared code belongs in a lower layer.",
      from: { pathNot: "^(src/cli|bin)/" },
      to: { path: "^src/cli/" },
    },
  ],
  options: {
    // The sources are cruised, not dist/: imports are written "./x.js" and
    // resolve to x.ts through the tsconfig, and `import type` is kept.
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
