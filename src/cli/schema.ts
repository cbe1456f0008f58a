// `repl-lab schema`: the JSON Schema of the YAML formats, for editor completion.
import type { Command } from "commander";
import * as z from "zod/mini";
import { latencyFileSchema, scenarioSchema, topologySchema } from "../model/schema.js";
import type { Io } from "./io.js";

export function jsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([topologySchema, scenarioSchema, latencyFileSchema]), { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://repl-lab.dev/schema/repl-lab.schema.json",
    title: "repl-lab files (topology, scenario, latency)",
    ...schema,
  };
}

export function schemaText(): string {
  return `${JSON.stringify(jsonSchema(), null, 2)}\n`;
}

/** `schema` on the program (called from main.ts). */
export function registerSchema(program: Command, io: Io): void {
  program
    .command("schema")
    .description("print the JSON Schema of the YAML formats (for editor completion)")
    .addHelpText("after", `\nExamples:\n  $ repl-lab schema > repl-lab.schema.json\n  # in VS Code (YAML extension): "yaml.schemas": { "./repl-lab.schema.json": "*.yaml" }`)
    .action(() => {
      io.out(schemaText());
    });
}
