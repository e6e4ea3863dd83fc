// The SVG chart of the main figures, drawn by hand (no chart library): overhead ratios per workload
// on a log scale with the goals marked, trace bytes per step in each values mode, dormant overhead
// on a linear scale, transform time against istanbul, and memory over the long recording. `renderChart(results)` takes the document run-all.mjs collects and returns SVG text.

const WIDTH = 960;
const LABEL_WIDTH = 170;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_RIGHT = WIDTH - 90;
import { RECORDINGS, RECORDING_VARIANTS } from "./variants.mjs";

const COLORS = { dormant: "#4e79a7", "binary-changed": "#59a14f", "binary-full": "#8c6d31", "json-changed": "#f28e2b", goal: "#d62728", grid: "#dddddd", text: "#222222", muted: "#777777", rss: "#b07aa1", heap: "#76b7b2" };

function escapeXml(text) {
  return String(text).replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]);
}

function text(x, y, content, { size = 12, anchor = "start", color = COLORS.text, weight = "normal" } = {}) {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="${anchor}" fill="${color}" font-weight="${weight}">${escapeXml(content)}</text>`;
}

function line(x1, y1, x2, y2, color, { dash, width = 1 } = {}) {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`;
}

function rect(x, y, w, h, color, opacity = 1) {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}" fill-opacity="${opacity}"/>`;
}

function ratioLabel(ratio) {
  return ratio >= 100 ? `${Math.round(ratio).toLocaleString("en")}×` : ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}

/** x position of `value` on a log10 axis from `low` to `high` across the plot. */
function logScale(low, high) {
  const a = Math.log10(low);
  const b = Math.log10(high);
  return (value) => PLOT_LEFT + ((Math.log10(Math.min(Math.max(value, low), high)) - a) / (b - a)) * (PLOT_RIGHT - PLOT_LEFT);
}

function legend(x, y, items) {
  const parts = [];
  let at = x;
  for (const [label, color] of items) {
    parts.push(rect(at, y - 9, 12, 10, color), text(at + 16, y, label, { size: 11 }));
    at += 34 + label.length * 6.4;
  }
  return parts.join("");
}

/**
 * The frame of a panel of bars on a log scale: title, legend, decade grid lines with their labels.
 * Returns the scale, the plot's vertical extent and the SVG so far.
 */
function logPanelFrame(top, { title, legendItems, low, largest, rows, rowHeight, tickLabel }) {
  const high = 10 ** Math.ceil(Math.log10(largest * 1.5));
  const x = logScale(low, high);
  const plotTop = top + 46;
  const plotBottom = plotTop + rows * rowHeight;
  const out = [text(20, top + 16, title, { size: 15, weight: "bold" }), legend(PLOT_LEFT, top + 34, legendItems)];
  for (let tick = 1; tick <= high; tick *= 10) {
    out.push(line(x(tick), plotTop, x(tick), plotBottom, COLORS.grid), text(x(tick), plotBottom + 14, tickLabel(tick), { size: 10, anchor: "middle", color: COLORS.muted }));
  }
  return { x, plotTop, plotBottom, out };
}

/** Panel 1: dormant and recording overhead per workload, log scale, goals as dashed lines. */
function overheadPanel(workloads, top) {
  const recordings = RECORDING_VARIANTS.filter((v) => workloads.some((w) => w[v]));
  const bars = ["dormant", ...recordings];
  const barHeight = 10;
  const rowHeight = bars.length * (barHeight + 1) + 8;
  const figures = workloads.map((w) => ({
    name: w.name,
    kind: w.kind,
    dormant: w.dormant?.ratio,
    ...Object.fromEntries(recordings.map((v) => [v, w[v]?.ms && w.plain?.ms ? w[v].ms / w.plain.ms : undefined])),
    unfinished: Object.fromEntries(recordings.map((v) => [v, w[v]?.unfinished])),
  }));
  const { x, plotTop, plotBottom, out } = logPanelFrame(top, {
    title: "Overhead against the original code (time per execution, log scale; median of the runs)",
    legendItems: [["dormant", COLORS.dormant], ...recordings.map((v) => [RECORDINGS[v].label, COLORS[v]])],
    low: 0.5,
    largest: Math.max(10, ...figures.flatMap((f) => bars.map((b) => f[b] ?? 0))),
    rows: figures.length,
    rowHeight,
    tickLabel: (tick) => `${tick.toLocaleString("en")}×`,
  });
  [[1.05, "dormant goal 1.05×"], [5, "recording goal 5×"]].forEach(([goal, label], i) => {
    out.push(line(x(goal), plotTop - 4, x(goal), plotBottom + 16 + i * 12, COLORS.goal, { dash: "4 3" }), text(x(goal) + 3, plotBottom + 26 + i * 12, label, { size: 10, color: COLORS.goal }));
  });
  figures.forEach((f, row) => {
    const y = plotTop + row * rowHeight + 4;
    out.push(text(LABEL_WIDTH, y + 17, f.name, { anchor: "end", size: 12 }), text(LABEL_WIDTH, y + 29, f.kind === "real" ? "npm package" : "micro", { anchor: "end", size: 9, color: COLORS.muted }));
    bars.forEach((bar, i) => {
      const value = f[bar];
      const by = y + i * (barHeight + 1);
      if (value === undefined || !Number.isFinite(value)) {
        out.push(text(PLOT_LEFT + 4, by + barHeight - 1, `${bar}: no figure`, { size: 9, color: COLORS.muted }));
        return;
      }
      const unfinished = bar !== "dormant" && f.unfinished[bar];
      // bars grow from 1× (no overhead); a ratio under 1 grows to the left
      const from = Math.min(x(1), x(value));
      out.push(rect(from, by, Math.max(1, Math.abs(x(value) - x(1))), barHeight, COLORS[bar], unfinished ? 0.45 : 1));
      const label = `${unfinished ? "> " : ""}${ratioLabel(value)}${unfinished ? " (stopped at the time limit)" : ""}`;
      const end = Math.max(x(value), x(1));
      // a label that would run off the chart goes inside the bar's end instead
      if (end + 4 + label.length * 5 > WIDTH) out.push(text(end - 4, by + barHeight - 1, label, { size: 9, anchor: "end" }));
      else out.push(text(end + 4, by + barHeight - 1, label, { size: 9 }));
    });
  });
  return { svg: out.join("\n"), height: plotBottom + 46 - top };
}

/** Panel 2: decompressed event bytes per step to binary in each values mode, log scale. */
function valuesModesPanel(workloads, top) {
  const modes = ["binary-changed", "binary-full"];
  const barHeight = 10;
  const rowHeight = modes.length * (barHeight + 1) + 10;
  const shown = workloads.filter((w) => modes.some((v) => Number.isFinite(w[v]?.decompressedBytesPerStep)));
  const { x, plotTop, plotBottom, out } = logPanelFrame(top, {
    title: "Event bytes per step to binary, decompressed (the CBOR stream inside trace.bin; log scale)",
    legendItems: modes.map((v) => [RECORDINGS[v].label, COLORS[v]]),
    low: 1,
    largest: Math.max(10, ...shown.flatMap((w) => modes.map((v) => w[v]?.decompressedBytesPerStep ?? 0))),
    rows: shown.length,
    rowHeight,
    tickLabel: (tick) => `${tick.toLocaleString("en")} B`,
  });
  shown.forEach((w, row) => {
    const y = plotTop + row * rowHeight + 2;
    out.push(text(LABEL_WIDTH, y + 14, w.name, { anchor: "end", size: 12 }));
    modes.forEach((v, i) => {
      const value = w[v]?.decompressedBytesPerStep;
      const by = y + i * (barHeight + 1);
      if (!Number.isFinite(value)) return;
      out.push(rect(PLOT_LEFT, by, Math.max(1, x(value) - PLOT_LEFT), barHeight, COLORS[v], w[v].unfinished ? 0.45 : 1), text(x(value) + 4, by + barHeight - 1, value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(1), { size: 9 }));
    });
  });
  return { svg: out.join("\n"), height: plotBottom + 26 - top };
}

/** A bar per row on a linear ratio scale from 0×, with the goal as a dashed line. */
function linearRatioPanel({ title, rows, goal, goalLabel }, top) {
  const rowHeight = 20;
  const plotTop = top + 30;
  const high = Math.max(2, Math.ceil(Math.max(...rows.map((r) => r.ratio).filter(Number.isFinite)) * 2) / 2);
  const x = (v) => PLOT_LEFT + (v / high) * (PLOT_RIGHT - PLOT_LEFT);
  const plotBottom = plotTop + rows.length * rowHeight;
  const out = [text(20, top + 16, title, { size: 15, weight: "bold" })];
  for (let tick = 0; tick <= high + 1e-9; tick += 0.5) {
    out.push(line(x(tick), plotTop, x(tick), plotBottom, COLORS.grid), text(x(tick), plotBottom + 14, `${tick}×`, { size: 10, anchor: "middle", color: COLORS.muted }));
  }
  out.push(line(x(goal), plotTop - 4, x(goal), plotBottom + 16, COLORS.goal, { dash: "4 3" }), text(x(goal) + 3, plotBottom + 26, goalLabel, { size: 10, color: COLORS.goal }));
  rows.forEach((r, row) => {
    const y = plotTop + row * rowHeight + 4;
    out.push(text(LABEL_WIDTH, y + 10, r.label, { anchor: "end" }));
    if (!Number.isFinite(r.ratio)) {
      out.push(text(PLOT_LEFT + 4, y + 10, "no figure", { size: 10, color: COLORS.muted }));
      return;
    }
    out.push(rect(PLOT_LEFT, y, x(r.ratio) - PLOT_LEFT, 12, COLORS.dormant), text(x(r.ratio) + 4, y + 10, `${r.ratio.toFixed(2)}×${r.note ? ` ${r.note}` : ""}`, { size: 10 }));
  });
  return { svg: out.join("\n"), height: plotBottom + 34 - top };
}

/** Panel 3: dormant overhead per workload, where the log scale of panel 1 hides the differences. */
function dormantPanel(workloads, top) {
  const rows = workloads.map((w) => ({ label: w.name, ratio: w.dormant?.ratio }));
  return linearRatioPanel({ title: "Dormant overhead: instrumented code, not recording, ÷ original (paired in one process)", rows, goal: 1.05, goalLabel: "goal 1.05×" }, top);
}

/** Panel 4: transform time of ctjs over istanbul's, per package. */
function transformPanel(transformRows, top) {
  const rows = transformRows.map((r) => ({ label: r.label.split(" ")[0], ratio: r.ms.ctjs / r.ms.istanbul, note: `(output ${(r.outputBytes.ctjs / r.outputBytes.istanbul).toFixed(2)}×)` }));
  return linearRatioPanel({ title: "Transform time, ctjs ÷ babel-plugin-istanbul (same files, same Babel options; output size ratio in brackets)", rows, goal: 1.5, goalLabel: "goal 1.5×" }, top);
}

/** Panel 5: RSS and heap over the long recording, against steps recorded. */
function memoryPanel(long, top) {
  const samples = long.samples.filter((s) => s.steps > 0);
  const height = 180;
  const plotTop = top + 46;
  const plotBottom = plotTop + height;
  const maxSteps = Math.max(...samples.map((s) => s.steps));
  const maxMiB = Math.max(64, ...samples.map((s) => s.rss / 2 ** 20)) * 1.15;
  const x = (steps) => PLOT_LEFT + (steps / maxSteps) * (PLOT_RIGHT - PLOT_LEFT);
  const y = (bytes) => plotBottom - (bytes / 2 ** 20 / maxMiB) * height;
  const path = (key) => samples.map((s, i) => `${i === 0 ? "M" : "L"}${x(s.steps).toFixed(1)},${y(s[key]).toFixed(1)}`).join(" ");
  const out = [
    text(20, top + 16, `Memory over one long recording (binary, ${(long.steps / 1e6).toFixed(0)} million steps of the instrumented numeric loop)`, { size: 15, weight: "bold" }),
    legend(PLOT_LEFT, top + 34, [["RSS", COLORS.rss], ["JS heap used", COLORS.heap]]),
  ];
  const stepMiB = maxMiB > 600 ? 200 : maxMiB > 300 ? 100 : 50;
  for (let mib = 0; mib <= maxMiB; mib += stepMiB) {
    out.push(line(PLOT_LEFT, y(mib * 2 ** 20), PLOT_RIGHT, y(mib * 2 ** 20), COLORS.grid), text(PLOT_LEFT - 6, y(mib * 2 ** 20) + 4, `${mib} MiB`, { size: 10, anchor: "end", color: COLORS.muted }));
  }
  for (let i = 0; i <= 4; i++) {
    const steps = (maxSteps * i) / 4;
    out.push(text(x(steps), plotBottom + 14, `${(steps / 1e6).toFixed(0)}M steps`, { size: 10, anchor: "middle", color: COLORS.muted }));
  }
  out.push(`<path d="${path("rss")}" fill="none" stroke="${COLORS.rss}" stroke-width="2"/>`, `<path d="${path("heapUsed")}" fill="none" stroke="${COLORS.heap}" stroke-width="2"/>`);
  return { svg: out.join("\n"), height: plotBottom + 26 - top };
}

export function renderChart(results) {
  const panels = [];
  let top = 10;
  const add = (panel) => {
    panels.push(panel.svg);
    top += panel.height + 20;
  };
  const workloads = results.sections.workloads?.data?.workloads;
  if (workloads?.length) {
    add(overheadPanel(workloads, top));
    if (workloads.some((w) => w["binary-changed"] || w["binary-full"])) add(valuesModesPanel(workloads, top));
    add(dormantPanel(workloads, top));
  }
  const transform = results.sections.transform?.data?.rows;
  if (transform?.length) add(transformPanel(transform, top));
  const long = results.sections.longRecording?.data;
  if (long?.samples?.some((s) => s.steps > 0)) add(memoryPanel(long, top));
  const footer = text(20, top + 4, `ctjs bench, ${results.meta.date.slice(0, 10)}, ${results.meta.cpus} × ${results.meta.cpuModel}, Node ${results.meta.node}; details and method in RESULTS.md`, { size: 10, color: COLORS.muted });
  const height = top + 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
${panels.join("\n")}
${footer}
</svg>
`;
}
