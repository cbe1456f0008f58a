// Runs the CLI in this process and, at exit, writes the process's peak
// resident memory (kilobytes, from the kernel's accounting) to the file named
// by RSS_OUT: the hostile-input fuzz test bounds it without trusting the CLI.
import { writeFileSync } from "node:fs";

const out = process.env.RSS_OUT;
process.on("exit", () => {
  if (out) writeFileSync(out, String(process.resourceUsage().maxRSS));
});
await import(new URL("../../../bin/repl-lab.js", import.meta.url).href);
