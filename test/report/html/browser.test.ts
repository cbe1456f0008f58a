// The HTML report in a real browser: Debian's chromium, headless, driven by
// playwright-core. For a strict-sync failover, split brain without fencing,
// a trials run, a live report and an explore report, the page loads from a
// file with every request other than
// file: and data: refused, logs no error, draws the lanes, bands and phases
// with their labels where the result data puts them, and renders in under
// 2 s; a ten-minute run's page stays under 1 MB. Screenshots go to
// test-artifacts/. CI installs chromium (.ci/run) and must run this; a
// developer's machine without it skips, saying why.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { SimulationResult } from "../../../src/engine/result.js";
import { factsOf } from "../../../src/engine/result.js";
import { renderSimulateHtml } from "../../../src/report/html/page.js";
import { renderExploreHtml } from "../../../src/report/html/explore.js";
import { renderLiveHtml } from "../../../src/report/html/live.js";
import { exploreReport, liveReport, run, SPLIT_BRAIN, STRICT_SYNC, trials } from "./helpers.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const inCI = process.env.CI === "true" || process.env.CI === "1";
const missing = existsSync(executablePath) ? null : `skipped: the HTML report's browser test needs Chromium at ${executablePath} (install: apt-get install chromium, or set CHROMIUM_PATH)`;
if (missing !== null && !inCI) announce(missing);
const ARTIFACTS = resolve("test-artifacts");

/** The dot reporter of `npm test` shows no skips: the reason goes to the developer's terminal. */
function announce(message: string): void {
  try {
    writeFileSync("/dev/tty", `\n${message}\n`);
  } catch {
    process.stderr.write(`\n${message}\n`);
  }
}

test("CI has Chromium for the browser test (a missing browser fails here, it is never skipped)", { skip: inCI ? false : "only on CI (CI=true)" }, () => {
  assert.ok(existsSync(executablePath), `CI must install the chromium package (.ci/run): no ${executablePath}`);
});

interface Loaded {
  page: Page;
  renderMs: number;
  errors: string[];
  requests: string[];
}

describe("the HTML report in headless Chromium", { skip: missing ?? false, timeout: 120_000 }, () => {
  let browser: Browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath, headless: true });
  });
  after(async () => {
    await browser?.close();
  });

  /** Writes the page to test-artifacts/, opens it from the file, and records errors and any request that is not file: or data:. */
  async function open(name: string, html: string, colorScheme: "light" | "dark" = "light"): Promise<Loaded> {
    const file = join(ARTIFACTS, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const started = performance.now();
    await page.goto(`file://${file}`, { waitUntil: "load" });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const renderMs = performance.now() - started;
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    return { page, renderMs, errors, requests };
  }

  function clean(loaded: Loaded): void {
    assert.deepEqual(loaded.errors, [], "no console errors");
    assert.deepEqual(loaded.requests, [], "no network requests");
    assert.ok(loaded.renderMs < 2000, `rendered in ${Math.round(loaded.renderMs)} ms`);
  }

  /** Where an element of a chart starts, in the chart's own units, as the browser laid it out, and where the time axis puts `atMs`. */
  async function drawnAt(page: Page, chart: string, selector: string, atMs: number, within = ""): Promise<{ drawn: number; expected: number }> {
    return page.evaluate(
      ({ chart, selector, atMs, within }) => {
        const svg = document.querySelector(`${within} svg[data-chart="${chart}"]`) as SVGSVGElement;
        const element = svg.querySelector(selector) as SVGGraphicsElement;
        const [d0, d1] = (svg.getAttribute("data-x-domain") ?? "").split(",").map(Number);
        const [r0, r1] = (svg.getAttribute("data-x-range") ?? "").split(",").map(Number);
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const drawn = (element.getBoundingClientRect().left - svg.getBoundingClientRect().left) / scale;
        return { drawn, expected: r0 + ((atMs / 1000 - d0) / (d1 - d0)) * (r1 - r0) };
      },
      { chart, selector, atMs, within },
    );
  }

  async function laneLabels(page: Page): Promise<string[]> {
    return page.$$eval('svg[data-chart="swimlanes"] .lane-label', (list) => list.map((e) => e.textContent ?? ""));
  }

  test("a strict-sync failover: a lane per node, pg-a down from the crash, every phase where the JSON puts it", async () => {
    const result = run(STRICT_SYNC);
    const loaded = await open("leader-dies-in-az-a", renderSimulateHtml([result]));
    clean(loaded);
    assert.deepEqual(await laneLabels(loaded.page), ["pg-a", "pg-b", "pg-c", "pg-dr", "clients"]);
    assert.equal(await loaded.page.locator(".band.split-brain").count(), 0);
    assert.equal(await loaded.page.locator('.segment[data-lane="pg-a"][data-role="down"]').getAttribute("data-start-ms"), "30000");
    for (const phase of result.phases) {
      const { drawn, expected } = await drawnAt(loaded.page, "phases", `rect.phase[data-phase="${phase.phase}"]`, phase.startMs);
      assert.ok(Math.abs(drawn - expected) < 1, `${phase.phase}: drawn at ${drawn}, the JSON says ${expected}`);
    }
    await loaded.page.close();
  });

  test("split brain without fencing: the band labelled split brain spans the two leaders, the partition shows its sides", async () => {
    const result = run(SPLIT_BRAIN);
    const loaded = await open("split-brain-no-fencing", renderSimulateHtml([result]));
    clean(loaded);
    const page = loaded.page;
    assert.deepEqual(await laneLabels(page), ["pg-a", "pg-b", "pg-c", "clients"]);
    assert.match((await page.locator(".band-label.split-brain").textContent()) ?? "", /SPLIT BRAIN/);
    assert.equal(await page.locator(".band-label.partition").textContent(), "partition pg-a | pg-b, pg-c");
    const [start] = factsOf(result.timeline, "split-brain");
    const band = await drawnAt(page, "swimlanes", ".band.split-brain", start.atMs);
    assert.ok(Math.abs(band.drawn - band.expected) < 1, `split brain drawn at ${band.drawn}, the JSON says ${band.expected}`);
    const promote = result.phases.find((p) => p.phase === "promote")!;
    const span = await drawnAt(page, "phases", 'rect.phase[data-phase="promote"]', promote.startMs);
    assert.ok(Math.abs(span.drawn - span.expected) < 1, `promote drawn at ${span.drawn}, the JSON says ${span.expected}`);
    const leaders = await page.$$eval('.segment[data-role="leader"]', (list) => list.map((e) => e.getAttribute("data-lane")));
    assert.deepEqual([...new Set(leaders)].sort(), ["pg-a", "pg-b"]);
    // Print: the page lays out on A4 (the PDF is kept with the screenshots).
    await page.emulateMedia({ media: "print" });
    // A4 landscape less its 10 mm margins, at 96 pixels to the inch.
    await page.setViewportSize({ width: Math.floor((277 / 25.4) * 96), height: Math.floor((190 / 25.4) * 96) });
    const pdf = await page.pdf({ path: join(ARTIFACTS, "split-brain-no-fencing.pdf"), format: "A4", landscape: true, printBackground: true });
    assert.ok(pdf.length > 10_000, "a printed PDF");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing wider than the page in print (${overflow}px over)`);
    await page.close();
    const dark = await open("split-brain-no-fencing-dark", renderSimulateHtml([result]), "dark");
    clean(dark);
    await dark.page.close();
  });

  test("a trials run: RPO and RTO percentiles per class with the target drawn", async () => {
    const result: SimulationResult = trials(STRICT_SYNC, 5);
    const loaded = await open("leader-dies-in-az-a-trials", renderSimulateHtml([result]));
    clean(loaded);
    const figures = await loaded.page.locator("figure.trial-chart").count();
    assert.equal(figures, result.classes.length * 2);
    assert.equal(await loaded.page.locator("figure.trial-chart .target").count(), figures);
    assert.match((await loaded.page.locator("figure.trial-chart figcaption").first().textContent()) ?? "", /of trials met the RPO target/);
    await loaded.page.close();
  });

  test("live: the engine's lanes above the real run's, each crash and promotion where its own result puts it", async () => {
    const report = liveReport();
    const loaded = await open("live-leader-crash", renderLiveHtml(report));
    clean(loaded);
    const page = loaded.page;
    assert.deepEqual(await page.$$eval("figure.side", (list) => list.map((f) => f.getAttribute("data-side"))), ["simulated", "live"]);
    const sides: [string, SimulationResult][] = [['figure[data-side="simulated"]', report.simulated], ['figure[data-side="live"]', report.runs[0].result]];
    for (const [within, result] of sides) {
      const crash = result.timeline.find((e) => e.event === "crash")!;
      const band = await drawnAt(page, "swimlanes", '.band.crash[data-lane="pg-a"]', crash.atMs, within);
      assert.ok(Math.abs(band.drawn - band.expected) < 1, `${within}: crash drawn at ${band.drawn}, the result says ${band.expected}`);
      const promote = result.phases.find((p) => p.phase === "promote")!;
      const span = await drawnAt(page, "phases", 'rect.phase[data-phase="promote"]', promote.startMs, within);
      assert.ok(Math.abs(span.drawn - span.expected) < 1, `${within}: promote drawn at ${span.drawn}, the result says ${span.expected}`);
    }
    const liveLabels = await page.$$eval('figure[data-side="live"] svg[data-chart="swimlanes"] .lane-label', (list) => list.map((e) => e.textContent));
    assert.deepEqual(liveLabels, ["pg-a", "pg-b", "pg-c", "clients"]);
    await page.close();
  });

  test("explore: each worst schedule with its lanes; the split brain's band where its run puts it", async () => {
    const report = exploreReport();
    const loaded = await open("explore-no-fencing", renderExploreHtml(report, []));
    clean(loaded);
    const page = loaded.page;
    const split = report.findings.find((f) => f.kind === "split-brain")!;
    const within = `section.schedule[data-schedule="${split.schedule + 1}"]`;
    const [start] = factsOf(split.result!.timeline, "split-brain");
    const band = await drawnAt(page, "swimlanes", ".band.split-brain", start.atMs, within);
    assert.ok(Math.abs(band.drawn - band.expected) < 1, `split brain drawn at ${band.drawn}, the run says ${band.expected}`);
    assert.equal(await page.locator("section.schedule").count(), new Set(report.findings.map((f) => f.schedule)).size);
    assert.match((await page.locator(`${within} .band-label.split-brain`).textContent()) ?? "", /SPLIT BRAIN/);
    await page.close();
  });

  test("a ten-minute run: under 1 MB, rendered in under 2 s", async () => {
    const html = renderSimulateHtml([run(SPLIT_BRAIN, { durationMs: 600_000 })]);
    assert.ok(Buffer.byteLength(html) < 1_000_000, `${Buffer.byteLength(html)} bytes`);
    const loaded = await open("split-brain-ten-minutes", html);
    clean(loaded);
    await loaded.page.close();
  });
});
