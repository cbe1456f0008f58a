// Observable Plot on a server-side DOM (linkedom): Plot lays out the scales,
// axes and marks and returns an SVG element, which we serialise. Marks can
// carry per-datum attributes (data-*, class) so that tests and stylesheets
// can find each drawn thing and compare its position with the result data.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

type Attrs = Record<string, string | number>;

/** A fresh document for one chart: Plot needs one to create elements in. */
function newDocument(): Document {
  return parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
}

/**
 * A mark's `render` option that gives the element drawn for each datum the attributes `attrs` returns (the mark's
 * group holds one element per datum of its index, in order).
 */
export function tagged<T>(data: readonly T[], attrs: (d: T) => Attrs): Plot.RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context) as SVGElement | null;
    if (!g) return null;
    const elements = Array.from(g.children).filter((c) => c.tagName.toLowerCase() !== "title");
    index.forEach((i, k) => {
      const element = elements[k];
      if (!element) return;
      for (const [name, value] of Object.entries(attrs(data[i]))) {
        if (name === "class") element.setAttribute("class", `${element.getAttribute("class") ?? ""} ${value}`.trim());
        else element.setAttribute(name, String(value));
      }
    });
    return g;
  };
}

export interface ChartOptions extends Plot.PlotOptions {
  /** A name for the chart, as its data-chart attribute. */
  chart: string;
}

/**
 * The chart as SVG text, with its x scale's domain and range as data attributes (data-x-domain, data-x-range) so
 * that a position on the page can be turned back into a time.
 */
export function renderChart(options: ChartOptions): string {
  const { chart, ...plotOptions } = options;
  const svg = Plot.plot({ ...plotOptions, document: newDocument() }) as unknown as SVGSVGElement & { scale: (name: string) => { domain: number[]; range: number[] } | undefined };
  svg.setAttribute("data-chart", chart);
  svg.setAttribute("role", "img");
  const x = svg.scale("x");
  if (x && typeof x.domain[0] === "number") {
    svg.setAttribute("data-x-domain", x.domain.join(","));
    svg.setAttribute("data-x-range", x.range.join(","));
  }
  return svg.outerHTML;
}

export { Plot };
