// The page's one stylesheet: light and dark colour schemes (the chart colours
// are CSS custom properties, so the SVG follows the scheme), and A4 print.
export const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1d1f;--muted:#5f6368;--rule:#d0d4d9;--panel:#f6f7f9;
--leader:#1b7f3b;--sync:#2c6fbb;--async:#8cb8e6;--down:#6b6b6b;--rewinding:#e07b00;--catching:#f2c14e;--demoted:#8e44ad;--rebuilding:#e0a000;--stalled:#b35c00;
--failing:#c62828;--crash:rgba(90,90,90,.22);--partition:rgba(230,160,0,.20);--stall:rgba(224,123,0,.22);--loss:rgba(60,60,60,.28);--split:rgba(220,20,40,.20);--split-line:#d0102a;
--ok:#1b7f3b;--bad:#b00020;--acked:#3a9d5d;--rejected:#d0342c;--p50:#2c6fbb;--p99:#d0342c;--phase:#5b4bb7;--stale:#e0a000;--archive:#a0522d}
@media (prefers-color-scheme:dark){:root{--bg:#141518;--fg:#e8e8ea;--muted:#a0a4aa;--rule:#3a3d42;--panel:#1d1f23;
--leader:#3fbf6a;--sync:#5b9de6;--async:#36597f;--down:#8a8a8a;--catching:#b58f2a;--demoted:#b07cd0;--failing:#ef5350;--crash:rgba(200,200,200,.16);--partition:rgba(240,180,40,.18);--loss:rgba(200,200,200,.22);--split:rgba(255,60,80,.25);--split-line:#ff5a6e;--ok:#4cc47a;--bad:#ff6b6b;--acked:#4cc47a;--rejected:#ff6b6b;--p50:#5b9de6;--p99:#ff6b6b;--phase:#9d8df0}}
html{background:var(--bg);color:var(--fg)}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1140px;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--rule);padding-bottom:.2rem}
.meta,.note,figcaption{color:var(--muted)}figure{margin:0}
.facts{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0;padding:0;list-style:none}
.facts li{background:var(--panel);border:1px solid var(--rule);border-radius:6px;padding:.3rem .7rem}
.facts li.bad{border-color:var(--bad);color:var(--bad);font-weight:600}
svg{color:var(--fg);--plot-background:var(--bg);overflow:visible}
svg [aria-label="x-grid"],svg [aria-label="y-grid"]{stroke:var(--rule);stroke-opacity:1}
.segment.role-leader{fill:var(--leader)}.segment.role-sync-standby{fill:var(--sync)}.segment.role-async-replica,.segment.role-replica{fill:var(--async)}.segment.role-follower{fill:var(--sync)}.segment.role-truncating-log{fill:var(--rewinding)}
.segment.role-down{fill:var(--down)}.segment.role-rewinding{fill:var(--rewinding)}.segment.role-catching-up{fill:var(--catching)}.segment.role-demoted{fill:var(--demoted)}
.segment.role-rebuilding{fill:var(--rebuilding)}.segment.role-stalled{fill:var(--stalled)}
.segment.role-endpoint{fill:var(--panel);stroke:var(--rule)}.segment.role-writes-failing{fill:var(--failing)}.segment-label.role-endpoint{fill:var(--fg);font-weight:500}
.segment-label{fill:#fff;font-size:11px;font-weight:600}.segment-label.role-async-replica,.segment-label.role-replica,.segment-label.role-catching-up{fill:#10263d}
.band.crash{fill:var(--crash)}.band.partition{fill:var(--partition)}.band.partition[data-lane]{fill:var(--partition);stroke:#e0a000;stroke-width:1.5;stroke-dasharray:3 2}.band.stall{fill:var(--stall)}.band.loss{fill:var(--loss)}
.band.archive{fill:var(--archive)}.band-label.archive{fill:#fff}
.band.split-brain{fill:var(--split);stroke:var(--split-line);stroke-width:2;stroke-dasharray:6 3}
.band-label{font-size:12px;font-weight:600;fill:var(--muted)}.band-label.split-brain{fill:var(--split-line);font-size:14px;font-weight:800;letter-spacing:.04em}
.lane-label{font-weight:600}.entry{fill:var(--bg);stroke:var(--fg);stroke-width:1.5}
.phase{fill:var(--phase)}.phase-start{stroke:var(--phase);stroke-width:2}.phase-label{fill:var(--muted);font-size:11px}
.acked{fill:var(--acked)}.rejected{fill:var(--rejected)}.reads.fresh{fill:var(--sync)}.reads.stale{fill:var(--stale)}.reads.failed{fill:var(--rejected)}
.line.p50{stroke:var(--p50)}.line.p99{stroke:var(--p99)}
.warn{stroke:#e0a000}.page{stroke:var(--bad)}.threshold-label{fill:var(--muted);font-size:11px}
.percentile.met{fill:var(--ok)}.percentile.missed{fill:var(--bad)}.target{stroke:var(--fg)}.target-label{font-size:11px}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:13px;color:var(--muted);margin:.3rem 0 .6rem}
.swatch{display:inline-block;width:14px;height:10px;border-radius:2px;margin-right:.3rem;vertical-align:baseline;border:1px solid var(--rule)}
table{border-collapse:collapse;margin:.4rem 0;font-size:14px}td,th{border:1px solid var(--rule);padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:var(--panel)}td.ok{color:var(--ok)}td.bad{color:var(--bad);font-weight:600}td.open{color:var(--stale)}
.trial-row{display:flex;flex-wrap:wrap;gap:1rem}.trial-chart{flex:0 0 540px}.value-label{font-size:11px}
.run{margin-bottom:2.5rem}
@page{size:A4 landscape;margin:10mm}
@media print{body{max-width:none;margin:0;font-size:11px}section,figure,table{break-inside:avoid}.run{break-before:page}.run:first-of-type{break-before:auto}svg{max-width:100%;height:auto}}
`;
