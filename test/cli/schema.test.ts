// `repl-lab schema` and the committed schema/repl-lab.schema.json: the file
// must match what the code prints (run `npm run schema:write` after changing
// src/model/schema.ts), and it must accept the bundled topologies and
// scenarios, so that editor completion never flags a valid file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { jsonSchema, schemaText } from "../../src/cli/schema.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const COMMITTED = join(ROOT, "schema/repl-lab.schema.json");

test("schema/repl-lab.schema.json is up to date (run `npm run schema:write` if this fails)", () => {
  const committed = readFileSync(COMMITTED, "utf8");
  assert.ok(
    committed === schemaText(),
    "schema/repl-lab.schema.json is stale: src/model/schema.ts changed since it was generated. Run `npm run schema:write` and commit the result.",
  );
});

test("repl-lab schema prints the same JSON Schema on stdout", () => {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/repl-lab.js"), "schema"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, schemaText());
});

test("the schema is draft 2020-12 with topology, scenario and latency-file definitions", () => {
  const schema = jsonSchema() as { $schema: string; $defs: Record<string, unknown>; anyOf: unknown[] };
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  for (const id of ["topology", "scenario", "latency", "latency-file"]) assert.ok(id in schema.$defs, id);
  assert.deepEqual(schema.anyOf, [{ $ref: "#/$defs/topology" }, { $ref: "#/$defs/scenario" }, { $ref: "#/$defs/latency-file" }]);
});

// ---------------------------------------------------------------------------
// A small checker for the subset of JSON Schema that zod emits; enough to say
// whether an editor using the schema would accept a file.

type Schema = Record<string, unknown> | boolean;

function check(root: Record<string, unknown>, schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: not allowed`);
    return;
  }
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/$defs/", "");
    const target = (root.$defs as Record<string, Schema>)[name];
    assert.ok(target !== undefined, `unresolved $ref ${schema.$ref}`);
    check(root, target, value, path, errors);
  }
  const branches = (key: "anyOf" | "oneOf") =>
    (schema[key] as Schema[]).map((s) => {
      const inner: string[] = [];
      check(root, s, value, path, inner);
      return inner;
    });
  if (Array.isArray(schema.anyOf)) {
    const results = branches("anyOf");
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches no anyOf branch (${results.map((r) => r[0]).join(" | ")})`);
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = branches("oneOf").filter((r) => r.length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} oneOf branches, expected 1`);
  }
  if ("const" in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => isType(value, t as string))) {
      errors.push(`${path}: expected ${types.join("|")}, got ${JSON.stringify(value)}`);
      return;
    }
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: "${value}" does not match ${schema.pattern}`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof value === "number") {
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) errors.push(`${path}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) errors.push(`${path}: not below ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : (schema.items as Schema | undefined);
      if (itemSchema !== undefined) check(root, itemSchema, item, `${path}[${i}]`, errors);
    });
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in value)) errors.push(`${path}: missing ${key}`);
    for (const [key, item] of Object.entries(value)) {
      if (schema.propertyNames !== undefined) check(root, schema.propertyNames as Schema, key, `${path}.<${key}>`, errors);
      if (key in properties) check(root, properties[key], item, `${path}.${key}`, errors);
      else if (schema.additionalProperties !== undefined) check(root, schema.additionalProperties as Schema, item, `${path}.${key}`, errors);
    }
  }
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return true;
  }
}

function schemaErrors(value: unknown): string[] {
  const root = JSON.parse(readFileSync(COMMITTED, "utf8")) as Record<string, unknown>;
  const errors: string[] = [];
  check(root, root, value, "$", errors);
  return errors;
}

function yamlFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(folder, f));
}

test("every bundled topology and scenario, read as JSON, is accepted by the committed schema", () => {
  const files = [...yamlFiles("topologies"), ...yamlFiles("scenarios")];
  assert.ok(files.length >= 2, "no bundled files found");
  for (const file of files) {
    const data = parse(readFileSync(join(ROOT, file), "utf8")) as { kind?: string };
    if (data.kind !== "topology" && data.kind !== "scenario") continue;
    assert.deepEqual(schemaErrors(data), [], file);
  }
});

test("the checker is not vacuous: the schema refuses an unknown key, a wrong enum and a wrong kind", () => {
  const topology = parse(readFileSync(join(ROOT, "topologies/payments.yaml"), "utf8")) as Record<string, unknown>;
  assert.deepEqual(schemaErrors(topology), []);
  assert.notDeepEqual(schemaErrors({ ...topology, failovr: {} }), []);
  assert.notDeepEqual(schemaErrors({ ...topology, failover: { fencing: "stonit" } }), []);
  assert.notDeepEqual(schemaErrors({ ...topology, kind: "topolgy" }), []);
  assert.notDeepEqual(schemaErrors({ ...topology, replication: { mode: "leader-folower" } }), []);
});

test("every starter that `repl-lab init` writes is accepted by the committed schema", async () => {
  const { starterTopology } = await import("../../src/starters/index.js");
  const { presetNames } = await import("../../src/model/schema.js");
  for (const name of presetNames) assert.deepEqual(schemaErrors(parse(starterTopology(name))), [], name);
});
