// RESULTS.md from the document run-all.mjs collects: the goals of issues 6 and 10 with the measured
// figures beside them, then each measurement with how it was taken. `renderReport(results)` returns
// Markdown.
import { RECORDINGS, RECORDING_VARIANTS } from "./variants.mjs";

/** The recording the runtime makes by default, which the goals are judged on. */
const DEFAULT_RECORDING = "binary-changed";
/** The two values modes to binary, side by side. */
const BINARY_VARIANTS = ["binary-changed", "binary-full"];
/** The micro-workload of issue 10: large values that change a little at every step. */
const VALUES_PROGRAM = "growing-values";

const GOALS = {
  dormant: 1.05,
  recording: 5,
  stepsPerSecond: 10_000_000,
  // "a few bytes per step", read here as at most this many
  bytesPerStep: 5,
  // "flat memory": RSS may grow by at most this much from the first sample to the end of the run
  flatGrowthMiB: 32,
  transform: 1.5,
  // issue 10: the growing-values program's events, decompressed, in changed mode
  valuesProgramBytes: 20e6,
};

const MiB = 2 ** 20;
const int = (n) => Math.round(n).toLocaleString("en");
const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const mib = (bytes) => (Number.isFinite(bytes) ? `${(bytes / MiB).toFixed(1)} MiB` : "–");
const ratio = (r, lowerBound = false) => (Number.isFinite(r) ? `${lowerBound ? "> " : ""}${r >= 100 ? int(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×` : "–");
const rate = (n) => (!Number.isFinite(n) ? "–" : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const kb = (bytes) => (bytes >= 10 * 1024 ? int(bytes / 1024) : (bytes / 1024).toFixed(1));
const megabytes = (bytes) => (!Number.isFinite(bytes) ? "–" : bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const verdict = (met) => (met ? "**met**" : "**missed**");
const ms = (n) => (!Number.isFinite(n) ? "–" : n >= 100 ? `${int(n)} ms` : n >= 1 ? `${n.toFixed(1)} ms` : `${n.toFixed(3)} ms`);

function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function recordingRatio(w, format) {
  const figures = w[format];
  if (!figures?.ms || !w.plain?.ms) return { value: NaN, lowerBound: false };
  return { value: figures.ms / w.plain.ms, lowerBound: Boolean(figures.unfinished) };
}

function failedSection(name, section) {
  return `## ${name}\n\nThis part did not run to the end: ${section?.error ?? "not run"}.\n`;
}

// -- goals -------------------------------------------------------------------------------------

/** The recording variants a workloads document holds (older documents named them json and binary). */
function recordingVariants(workloads) {
  return RECORDING_VARIANTS.filter((v) => workloads.some((w) => w[v]));
}

/** "median workload 2.1; a 1.0, b 2.1, …" of one binary figure over the workloads that have it. */
function spread(workloads, variant, figure, digits = 1) {
  const sorted = workloads.map((x) => ({ name: x.name, v: x[variant]?.[figure] })).filter((x) => Number.isFinite(x.v)).sort((a, b) => a.v - b.v);
  const middle = sorted[sorted.length >> 1];
  return { sorted, text: `median workload ${fixed(middle?.v, digits)}; ${sorted.map((x) => `${x.name} ${fixed(x.v, digits)}`).join(", ")}` };
}

function goalsSection(results) {
  const w = results.sections.workloads?.data?.workloads ?? [];
  const real = w.filter((x) => x.kind === "real");
  const long = results.sections.longRecording?.data;
  const transform = results.sections.transform?.data;
  const probe = results.sections.probeApi?.data;
  const variants = recordingVariants(w);
  const rows = [];

  if (real.length) {
    const dormant = real.map((x) => x.dormant?.ratio).filter(Number.isFinite);
    const within = real.filter((x) => x.dormant?.ratio <= GOALS.dormant);
    rows.push([
      "Dormant overhead (instrumented, not recording) on real packages (issue 6)",
      `within 5% (≤ ${GOALS.dormant}×)`,
      `${within.length} of ${real.length} within; ${real.map((x) => `${x.name} ${ratio(x.dormant?.ratio)}`).join(", ")}; micro-workloads ${ratio(Math.min(...w.filter((x) => x.kind === "micro").map((x) => x.dormant?.ratio)))} to ${ratio(Math.max(...w.filter((x) => x.kind === "micro").map((x) => x.dormant?.ratio)))}`,
      verdict(dormant.length > 0 && within.length === real.length),
    ]);
    const ratios = (variant) => real.map((x) => ({ name: x.name, ...recordingRatio(x, variant) }));
    const show = (list) => list.map((r) => `${r.name} ${ratio(r.value, r.lowerBound)}`).join(", ");
    rows.push([
      "Recording on CPU-bound real packages (issue 6)",
      `within ${GOALS.recording}× of the original`,
      variants.map((v) => `${RECORDINGS[v].label}: ${show(ratios(v))}`).join("; "),
      verdict(ratios(DEFAULT_RECORDING).every((r) => r.value <= GOALS.recording && !r.lowerBound)),
    ]);
  }
  if (w.length) {
    const ceiling = probe?.recording?.formats?.find((f) => f.format === "binary");
    const ceilingRate = ceiling ? ceiling.steps / (ceiling.ms / 1000) : NaN;
    const speeds = (variant) => w.map((x) => ({ name: x.name, kind: x.kind, v: x[variant]?.stepsPerSecond })).filter((x) => Number.isFinite(x.v));
    const best = BINARY_VARIANTS.flatMap(speeds).reduce((a, b) => (b.v > a.v ? b : a), { v: -1 });
    const realRange = (variant) => {
      const list = speeds(variant).filter((x) => x.kind === "real").map((x) => x.v);
      return `${rate(Math.min(...list))} to ${rate(Math.max(...list))}`;
    };
    rows.push([
      "Recorded steps per second, binary format (issue 6)",
      `≥ ${rate(GOALS.stepsPerSecond)} steps/s`,
      `best workload ${best.name} ${rate(best.v)} steps/s; real packages ${BINARY_VARIANTS.map((v) => `${RECORDINGS[v].values} values ${realRange(v)}`).join(", ")} steps/s; probe API alone (no library code, 2 integers a step) ${rate(ceilingRate)} steps/s`,
      verdict(best.v >= GOALS.stepsPerSecond),
    ]);
    const sizes = spread(w, DEFAULT_RECORDING, "bytesPerStep");
    rows.push([
      "Binary trace size (issue 6)",
      `a few bytes per step (read as ≤ ${GOALS.bytesPerStep})`,
      BINARY_VARIANTS.map((v) => `${RECORDINGS[v].values} values: ${spread(w, v, "bytesPerStep").text} bytes/step`).join("; "),
      verdict(sizes.sorted.length > 0 && sizes.sorted.every((x) => x.v <= GOALS.bytesPerStep)),
    ]);
  }
  const growing = w.find((x) => x.name === VALUES_PROGRAM);
  if (growing) {
    const changed = growing[DEFAULT_RECORDING];
    const full = growing["binary-full"];
    rows.push([
      `Values on change: the ${VALUES_PROGRAM} program's events, decompressed (issue 10)`,
      `under ${megabytes(GOALS.valuesProgramBytes)} in changed mode (was 1.16 GB)`,
      `changed values: ${megabytes(changed?.decompressedBytesPerExecution)} in ${int(changed?.eventsPerExecution)} events; full values: ${megabytes(full?.decompressedBytesPerExecution)} in ${int(full?.eventsPerExecution)} events`,
      verdict(changed?.decompressedBytesPerExecution < GOALS.valuesProgramBytes && changed?.valuesApplied !== false),
    ]);
  }
  if (long) {
    const growth = (long.rss.end - long.rss.start) / MiB;
    rows.push([
      "Memory over a very long recording (issue 6)",
      `flat (RSS grows < ${GOALS.flatGrowthMiB} MiB from first sample to end)`,
      `${int(long.steps)} steps: RSS ${mib(long.rss.start)} → peak ${mib(long.rss.peak)} → end ${mib(long.rss.end)} (+${growth.toFixed(0)} MiB); JS heap ${mib(long.heapUsed.start)} → peak ${mib(long.heapUsed.peak)} → end ${mib(long.heapUsed.end)}`,
      verdict(growth < GOALS.flatGrowthMiB),
    ]);
  }
  if (transform?.rows?.length) {
    const total = (k) => transform.rows.reduce((s, r) => s + r.ms[k], 0);
    rows.push([
      "Transform time against babel-plugin-istanbul (issue 6)",
      `within ${GOALS.transform}×`,
      `${ratio(total("ctjs") / total("istanbul"))} over all files (${transform.rows.map((r) => `${r.label.split(" ")[0]} ${ratio(r.ms.ctjs / r.ms.istanbul)}`).join(", ")})`,
      verdict(total("ctjs") / total("istanbul") <= GOALS.transform),
    ]);
  }
  return `## The goals, against the figures\n\n${table(["goal", "target", "measured here", "verdict"], rows)}\n`;
}

// -- workloads -----------------------------------------------------------------------------------

/** A recording's figure for the tables, or why there is none. */
function recordingCell(f, show) {
  if (!f) return "not run";
  if (f.failed) return `failed: ${f.failed}`;
  return show(f);
}

function valuesModesTable(workloads) {
  const header = ["workload", "steps / execution"];
  for (const [title] of [["steps/s"], ["recording ÷ plain"], ["bytes / step (trace.bin)"], ["decompressed bytes / step"]]) {
    for (const v of BINARY_VARIANTS) header.push(`${title}, ${RECORDINGS[v].values}`);
  }
  header.push("decompressed, full ÷ changed");
  const rows = workloads.map((w) => {
    const [changed, full] = BINARY_VARIANTS.map((v) => w[v]);
    const row = [w.name, changed?.stepsPerExecution ? int(changed.stepsPerExecution) : "unfinished"];
    for (const v of BINARY_VARIANTS) row.push(recordingCell(w[v], (f) => `${rate(f.stepsPerSecond)}${f.unfinished ? " (unfinished)" : ""}`));
    for (const v of BINARY_VARIANTS) {
      const r = recordingRatio(w, v);
      row.push(ratio(r.value, r.lowerBound));
    }
    for (const v of BINARY_VARIANTS) row.push(recordingCell(w[v], (f) => fixed(f.bytesPerStep, 1)));
    for (const v of BINARY_VARIANTS) row.push(recordingCell(w[v], (f) => fixed(f.decompressedBytesPerStep, 1)));
    row.push(ratio(full?.decompressedBytesPerStep / changed?.decompressedBytesPerStep));
    return row;
  });
  return table(header, rows);
}

function valuesProgramSection(workloads) {
  const w = workloads.find((x) => x.name === VALUES_PROGRAM);
  if (!w) return undefined;
  const rows = RECORDING_VARIANTS.filter((v) => w[v]).map((v) => {
    const f = w[v];
    if (f.failed) return [RECORDINGS[v].label, `failed: ${f.failed}`, "", "", "", "", ""];
    const isDefault = v === DEFAULT_RECORDING;
    return [RECORDINGS[v].label, int(f.stepsPerExecution), int(f.eventsPerExecution), megabytes(f.decompressedBytesPerExecution), megabytes(f.traceBytes / (f.executions || 1)), ms(f.ms), isDefault ? (f.decompressedBytesPerExecution < GOALS.valuesProgramBytes ? "met" : "missed") : ""];
  });
  return `### Values on change: the ${VALUES_PROGRAM} program (issue 10)

\`packages/bench/subjects/${VALUES_PROGRAM}.mjs\`: ${w.description} (10,000 iterations, no I/O; ${ms(w.plain?.ms)} an execution plain). All its variables stay in scope while the array and the object grow, so writing every visible value at every step writes both again and again (up to the value encoder's limits: 50 items, depth 4). Per execution of the program, the recorder's event count and the CBOR event bytes the writer produced (trace.bin's frames decompressed; for json the file itself); MB = 10^6 bytes. Goal: under ${megabytes(GOALS.valuesProgramBytes)} decompressed in changed mode, the issue's program having written 1.16 GB.

${table(["recording", "steps / execution", "events / execution", "events decompressed / execution", "trace file / execution", "ms / execution", "goal"], rows)}`;
}

function workloadsSection(section) {
  if (!section?.data) return failedSection("Workloads", section);
  const { settings, workloads } = section.data;
  const variants = recordingVariants(workloads);
  const out = [];
  out.push(`## Workloads

Each workload drives real code deterministically; for npm packages the package's own files are instrumented (a copy of the package with those files rewritten by \`instrumentSource\`, its dependencies linked as in node_modules), and the trace's step counts below show the instrumentation really runs. Inputs are small because recording is currently slow: one recorded execution of a real workload takes seconds (see below), and the whole suite must stay under ~20 minutes.

Command: \`node packages/bench/workloads-bench.mjs\` (took ${int(settings.seconds)} s). Every figure comes from fresh processes, one per run (\`node packages/bench/workload-process.mjs <scratch> <workload> <variant>\`), interleaved round by round with the order of the variants rotated: plain and dormant in ${settings.rounds} rounds, recordings in the first ${settings.recordingRounds}. Each process first runs the workload 3 times untimed (dormant, never recorded), then:
- **plain**: the original package; executions timed in 6 batches of at least 50 ms, median batch;
- **dormant**: the same process loads both copies and alternates batches of the original and the instrumented code (6 batches each), so the machine's load falls on both alike; the ratio of their medians is that run's dormant overhead;
- **recordings** (${variants.map((v) => `**${RECORDINGS[v].label}**: \`start({ format: "${RECORDINGS[v].format}", values: "${RECORDINGS[v].values}" })\``).join("; ")}): the workload repeated until 1.5 s have passed (at least once), then \`stop()\`; time per execution is the whole (start and the final flush included) divided by the executions. In **full** mode the recorder writes every visible variable at every line step; in **changed** mode (the default) only the variables whose value, as CodeTracer shows it, would otherwise differ. A recording process still running ${int(settings.recordingLimitMs / 1000)} s after it was started is ended; its trace, complete up to the writer's last flush, is read for steps, events and bytes, its time is reported as a lower bound (">"), and that variant's later rounds on the workload are skipped${settings.slowRecordingMs ? `, as they are after a run whose executions took ${int(settings.slowRecordingMs / 1000)} s or more each` : ""}.

Figures are medians over the runs. Checksums of every run are compared: "same result" says the instrumented and recorded runs computed what the original did.`);
  const notApplied = variants.filter((v) => workloads.some((w) => w[v]?.valuesApplied === false));
  if (notApplied.length) {
    out.push(`> **Caution:** the runtime measured did not accept the \`values\` option (it predates it): ${notApplied.map((v) => RECORDINGS[v].label).join(", ")} recorded every value at every step, whatever the mode's name says.`);
  }
  out.push(table(["workload", "what runs", "instrumented (files, KB in → out)", "plain ms / execution", "same result"],
    workloads.map((w) => [w.name, w.description, `${w.instrumented.files}, ${kb(w.instrumented.bytesIn)} → ${kb(w.instrumented.bytesOut)}`, ms(w.plain?.ms), w.checksumsAgree ? "yes" : "**no**"])));
  for (const w of workloads.filter((x) => x.note)) out.push(`Why ${w.name}'s input is what it is: ${w.note}`);

  if (BINARY_VARIANTS.every((v) => variants.includes(v))) {
    out.push(`### Values modes side by side (binary format)

The same workloads recorded to trace.bin in each values mode, in the same run. Bytes / step is trace.bin's size (zstd-compressed) per step; decompressed bytes / step is the CBOR event stream the writer produced (the sum of the frames' decompressed sizes in trace.bin's seek table) per step: what a reader has to decode, and what the values mode changes directly.`);
    out.push(valuesModesTable(workloads));
  }
  const valuesProgram = valuesProgramSection(workloads);
  if (valuesProgram) out.push(valuesProgram);

  out.push(`### Dormant overhead

Goal: within 5% of the original (≤ ${GOALS.dormant}×).`);
  out.push(table(["workload", "original (paired)", "instrumented, dormant", "ratio (median of runs)", "runs", "goal"],
    workloads.map((w) => [w.name, ms(w.dormant?.pairedPlainMs), ms(w.dormant?.ms), ratio(w.dormant?.ratio), w.dormant?.runs ?? 0, w.dormant?.ratio <= GOALS.dormant ? "met" : "missed"])));

  out.push(`### Recording overhead

Calls with arguments, returns with values, every line step with the values of the variables in scope (full) or of those that changed (changed). Ratio = time per execution while recording ÷ plain time per execution. Goal on CPU-bound real workloads: within ${GOALS.recording}×.`);
  out.push(table(["workload", "plain", ...variants.flatMap((v) => [`${RECORDINGS[v].label}: ms / execution`, "ratio"]), "executions recorded"],
    workloads.map((w) => [
      w.name,
      ms(w.plain?.ms),
      ...variants.flatMap((v) => {
        const r = recordingRatio(w, v);
        return [ms(w[v]?.ms), ratio(r.value, r.lowerBound)];
      }),
      variants.map((v) => (w[v]?.unfinished ? "unfinished" : fixed(w[v]?.executions, 0))).join(" / "),
    ])));

  out.push(`### Throughput, trace size and peak memory per recording

Steps and events are the recorder's own counts (\`stop()\`'s summary, or the events read back from an unfinished trace); bytes are the size of \`trace.json\` / \`trace.bin\`, decompressed bytes the event stream inside trace.bin (for json, the file). Rates are per run (events ÷ recording time), then the median. Peak RSS is the process's maximum resident set (VmHWM from /proc), including the 3 untimed warm-up executions; the plain column is the same measure for the original code. Goals: ≥ ${rate(GOALS.stepsPerSecond)} steps/s to binary; a few bytes per step.`);
  const rows = [];
  for (const w of workloads) {
    for (const v of variants) {
      const f = w[v];
      if (!f || f.failed) {
        rows.push([w.name, RECORDINGS[v].label, `failed: ${f?.failed ?? "not run"}`, "", "", "", "", "", "", "", ""]);
        continue;
      }
      rows.push([w.name, RECORDINGS[v].label, f.unfinished ? "unfinished" : int(f.stepsPerExecution), rate(f.stepsPerSecond), rate(f.eventsPerSecond), fixed(f.eventsPerExecution / f.stepsPerExecution || f.eventsPerSecond / f.stepsPerSecond, 1), fixed(f.bytesPerStep, 1), fixed(f.decompressedBytesPerStep, 1), fixed(f.bytesPerEvent, 1), mib(f.maxRssBytes), mib(w.plain?.maxRssBytes)]);
    }
  }
  out.push(table(["workload", "recording", "steps / execution", "steps/s", "events/s", "events / step", "bytes / step", "decompressed bytes / step", "bytes / event", "peak RSS recording", "peak RSS plain"], rows));
  return out.join("\n\n") + "\n";
}

// -- long recording --------------------------------------------------------------------------------

function longRecordingSection(section) {
  if (!section?.data) return failedSection("Memory over a very long recording", section);
  const l = section.data;
  const growth = (l.rss.end - l.rss.start) / MiB;
  const perHundredMillion = ((l.rss.end - l.rss.start) / MiB / (l.steps / 1e8));
  return `## Memory over a very long recording

Command: \`node packages/bench/long-recording.mjs ${l.targetSteps} ${l.limitSeconds}\`: in a fresh process, the instrumented numeric-loop subject is called with 1,000,000 iterations again and again while recording to the binary format, until ${int(l.targetSteps)} steps or ${l.limitSeconds} s; after every call the process samples \`process.memoryUsage()\` and the recorder's step count (${l.sampleCount} samples). One run (it is long; there is nothing to take a median of). ${l.finished ? "" : `**The run did not finish normally** (${l.failure}); the samples up to then are shown.`}

| steps recorded | time | steps/s | trace size | bytes / step | RSS before start() | RSS at first sample | peak RSS | RSS at end | JS heap: first / peak / end |
|---|---|---|---|---|---|---|---|---|---|
| ${int(l.steps)} | ${fixed(l.seconds, 1)} s | ${rate(l.steps / l.seconds)} | ${mib(l.traceBytes)} | ${fixed(l.traceBytes / l.steps, 2)} | ${mib(l.rss.beforeStart)} | ${mib(l.rss.start)} | ${mib(l.rss.peak)} | ${mib(l.rss.end)} | ${mib(l.heapUsed.start)} / ${mib(l.heapUsed.peak)} / ${mib(l.heapUsed.end)} |

RSS grew by ${growth.toFixed(0)} MiB over the run (${perHundredMillion.toFixed(0)} MiB per 100 million steps, ${fixed((l.rss.end - l.rss.start) / l.traceBytes, 2)}× the bytes written to the trace) while the JS heap stayed at ${mib(l.heapUsed.start)}–${mib(l.heapUsed.peak)}. Goal: flat memory (taken as RSS growing less than ${GOALS.flatGrowthMiB} MiB): ${growth < GOALS.flatGrowthMiB ? "met" : "**missed**"}. The last panel of the chart plots both over the run.
`;
}

// -- probe API -------------------------------------------------------------------------------------

function probeApiSection(section) {
  if (!section?.data) return failedSection("The probe API alone", section);
  const { dormant, recording } = section.data;
  const perProbeNs = ((dormant.probedMs - dormant.plainMs) * 1e6) / dormant.iterations;
  return `## The probe API alone

Command: \`node packages/bench/probe-api.mjs\`. A loop calling the probes directly, as instrumented code does, with no library code around them: the floor of the dormant cost and the ceiling of recording speed.

Dormant: a loop of ${int(dormant.iterations)} iterations with one line probe each (\`c.onLine && c.line(f, 0, i, s)\`) against the same loop without it, median of ${dormant.rounds} interleaved runs in one process: ${ms(dormant.plainMs)} plain, ${ms(dormant.probedMs)} probed, ratio ${ratio(dormant.probedMs / dormant.plainMs)} (${fixed(perProbeNs, 2)} ns per probe).

Recording: the same loop, ${int(recording.formats[0]?.loopSteps)} steps each with ${recording.valuesPerStep} integer values, median of ${recording.rounds} runs:

${table(["format", "steps/s", "events/s", "bytes / step", "bytes / event"], recording.formats.map((f) => [f.format, rate(f.steps / (f.ms / 1000)), rate(f.events / (f.ms / 1000)), fixed(f.bytes / f.steps, 2), fixed(f.bytes / f.events, 2)]))}
`;
}

// -- transform -------------------------------------------------------------------------------------

function transformSection(section) {
  if (!section?.data) return failedSection("Transform time against babel-plugin-istanbul", section);
  const { rounds, rows } = section.data;
  const total = (k) => rows.reduce((s, r) => s + r.ms[k], 0);
  const totalOut = (k) => rows.reduce((s, r) => s + r.outputBytes[k], 0);
  const body = rows.map((r) => [r.label, int(r.inputBytes / 1024) + " KB", ms(r.ms.none), ms(r.ms.istanbul), ms(r.ms.ctjs), ratio(r.ms.ctjs / r.ms.istanbul), ratio((r.ms.ctjs - r.ms.none) / (r.ms.istanbul - r.ms.none)), ratio(r.outputBytes.ctjs / r.outputBytes.istanbul)]);
  body.push(["**all**", int(rows.reduce((s, r) => s + r.inputBytes, 0) / 1024) + " KB", ms(total("none")), ms(total("istanbul")), ms(total("ctjs")), `**${ratio(total("ctjs") / total("istanbul"))}**`, ratio((total("ctjs") - total("none")) / (total("istanbul") - total("none"))), ratio(totalOut("ctjs") / totalOut("istanbul"))]);
  return `## Transform time against babel-plugin-istanbul

Command: \`node packages/bench/transform.mjs\`. The files the workloads instrument go through \`@babel/core\` \`transformSync\` with the same options (source maps on, not compact, sourceType unambiguous) three ways: no plugin (parsing and printing alone), babel-plugin-istanbul (node_modules not excluded), and @ctjs/babel-plugin; median of ${rounds} interleaved rounds in one process. "Plugin work only" subtracts the no-plugin time from both. Goal: ctjs within ${GOALS.transform}× of istanbul.

${table(["files", "input", "no plugin", "istanbul", "ctjs", "ctjs ÷ istanbul", "plugin work only", "output size ctjs ÷ istanbul"], body)}
`;
}

// -- profile ---------------------------------------------------------------------------------------

function profileSection(title, section) {
  if (!section?.data) return failedSection(title, section);
  const p = section.data;
  const pct = (share) => `${(share * 100).toFixed(1)}%`;
  return `## ${title}

Command: \`node packages/bench/profile.mjs ${p.workload} ${p.variant ?? p.format}\`, which runs \`${p.command}\` (one recorded execution: ${int(p.run.steps)} steps, ${int(p.run.events)} events in ${ms(p.run.recordingMs)}) and sums the samples' self time per function, positions mapped to the TypeScript sources through the source maps. Whole process, ${ms(p.totalMs)} of samples:

${table(["area", "self time", "share"], p.areas.map((a) => [a.area, ms(a.ms), pct(a.share)]))}

Top functions of ctjs by self time:

${table(["function", "source", "self time", "share"], p.topCtjs.slice(0, 15).map((f) => [`\`${f.name}\``, `${f.file}:${f.line}`, ms(f.ms), pct(f.share)]))}
`;
}

// -- CLI end to end -----------------------------------------------------------------------------

function cliSection(section) {
  if (!section?.data) return failedSection("End to end through the CLI", section);
  const { rounds, cwd, rows } = section.data;
  return `## End to end through the CLI

Command: \`node packages/bench/cli-record.mjs\`. What a user sees: one execution of a workload as a program (\`node packages/bench/cli-driver.mjs <workload>\`, importing the installed package), run with plain \`node\` and under \`ctjs record\` (instrumentation at load time, process start and exit included), wall time, median of ${rounds} interleaved runs, from \`${cwd.split("/").slice(-2).join("/")}\`. The trace is read back and its steps split by file: the steps in the package show that \`--include 'node_modules/<package>/**'\`, written as the user sees node_modules, reaches the package's real files (pnpm links them into node_modules/.pnpm).

${table(["workload", "command", "node", "ctjs record", "ratio", "steps in the package (files)", "other steps", "same result"], rows.map((r) => [r.workload, `\`${r.command}\``, ms(r.nodeMs), ms(r.recordMs), ratio(r.recordMs / r.nodeMs), `${int(r.steps?.inPackage)} (${r.steps?.packageFiles})`, int(r.steps?.elsewhere), r.sameResult ? "yes" : "**no**"]))}
`;
}

/** Blank lines around headings and tables, which Markdown needs to see them as blocks. */
function separateBlocks(markdown) {
  const lines = markdown.split("\n");
  const out = [];
  for (const lineText of lines) {
    const previous = out[out.length - 1];
    const startsBlock = lineText.startsWith("#") || (lineText.startsWith("|") && previous !== undefined && !previous.startsWith("|"));
    const afterBlock = previous !== undefined && (previous.startsWith("#") || (previous.startsWith("|") && !lineText.startsWith("|")));
    if (previous !== undefined && previous !== "" && lineText !== "" && (startsBlock || afterBlock)) out.push("");
    out.push(lineText);
  }
  return out.join("\n");
}

// -- whole report ----------------------------------------------------------------------------------

export function renderReport(results) {
  const { meta, sections } = results;
  const parts = [];
  parts.push(`# ctjs benchmark results

Measured ${meta.date} on ${meta.cpus} × ${meta.cpuModel}, ${Math.round(meta.memoryBytes / 2 ** 30)} GiB RAM, Node ${meta.node}, by \`pnpm bench\` at the repository root (\`tsc -b && pnpm --filter @ctjs/bench bench\`, i.e. \`node packages/bench/run-all.mjs\`), which took ${int(meta.seconds / 60)} minutes, on commit ${meta.commit ?? "?"}${meta.changedFiles?.length ? ` with ${meta.changedFiles.length} uncommitted changed file(s) of other packages in the work tree (${meta.changedFiles.slice(0, 4).join(", ")}${meta.changedFiles.length > 4 ? ", …" : ""})` : ""}. The machine's load average was ${meta.loadAverageStart.map((n) => n.toFixed(1)).join(" / ")} (1 / 5 / 15 min) at the start and ${meta.loadAverageEnd.map((n) => n.toFixed(1)).join(" / ")} at the end${meta.rerun ? ` (parts ${meta.rerun.parts.join(", ")} were re-run on ${meta.rerun.date} by \`node packages/bench/run-all.mjs --only ${meta.rerun.parts.join(",")}\`)` : ""}: other work shared its 2 cores, so absolute times are noisy; the ratios are taken side by side (interleaved runs, paired batches) to cancel most of that. Nothing here is asserted; the raw figures are in \`results.json\`.

![Overhead ratios, event bytes per step in each values mode, dormant overhead, transform ratio and memory over a long recording](results.svg)
`);
  const changedDuring = Object.entries(sections).filter(([, s]) => s?.compiledCodeChanged).map(([key]) => key);
  if (changedDuring.length) {
    parts.push(`> **Caution:** ctjs's compiled code (packages/*/dist) was rebuilt while these parts ran: ${changedDuring.join(", ")}. Their figures mix the code before and after that rebuild.\n`);
  }
  parts.push(goalsSection(results));
  parts.push(workloadsSection(sections.workloads));
  parts.push(longRecordingSection(sections.longRecording));
  parts.push(probeApiSection(sections.probeApi));
  parts.push(transformSection(sections.transform));
  parts.push(cliSection(sections.cliRecord));
  parts.push(profileSection("Where recording time goes: a real package (acorn)", sections.profile));
  parts.push(profileSection("Where recording time goes: the per-step floor (numeric loop)", sections.profileLoop));
  if (sections.bundlers) {
    parts.push(sections.bundlers.markdown ? `## Bundlers\n\nFrom \`node packages/bench/bundlers.mjs\` (also written to BUNDLERS.md):\n\n${separateBlocks(sections.bundlers.markdown.replace(/^#{1,2} /gm, "### "))}` : failedSection("Bundlers", sections.bundlers));
  }
  return parts.join("\n");
}
