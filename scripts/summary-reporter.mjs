// A node:test reporter that prints, after the dots, the totals and every
// skipped test with its reason (the project's rule: nothing is skipped silently).
export default async function* summary(source) {
  const counts = { pass: 0, fail: 0, skipped: 0, todo: 0 };
  const skipped = [];
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const data = event.data;
    // Suites report too; count leaf tests only.
    if (data.details?.type === "suite") continue;
    if (data.skip !== undefined) {
      counts.skipped++;
      skipped.push(`  - ${data.name}: ${typeof data.skip === "string" ? data.skip : "no reason given"} (${data.file ?? "?"})`);
    } else if (data.todo !== undefined) counts.todo++;
    else if (event.type === "test:pass") counts.pass++;
    else counts.fail++;
  }
  yield `\nTests: ${counts.pass + counts.fail + counts.skipped + counts.todo} · passed ${counts.pass} · failed ${counts.fail} · skipped ${counts.skipped}${counts.todo ? ` · todo ${counts.todo}` : ""}\n`;
  if (skipped.length > 0) yield `Skipped:\n${skipped.join("\n")}\n`;
}
