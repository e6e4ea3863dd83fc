import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { iterateTraceEvents, locateEventsFile, readSeekTable, readTraceEvents } from "../src/trace-reader/index.js";
import { BINARY_TRACE_HEADER, BinaryTraceWriter, CborEncoder, createTraceWriter, writeTraceEvent } from "../src/writers/index.js";
import { SeekTable } from "../src/writers/seekable-archive.js";
import { encodeRawFrame } from "../src/writers/zstd-frame.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM, TYPE, minimalTrace, richBody } from "./helpers/trace-events.js";
import { runtimeNodeModules, transpileRuntimeSources } from "./helpers/transpiled-runtime.js";
import { validateTrace } from "./helpers/validate.js";

const cleanups: (() => void)[] = [];
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

function traceDir(): string {
  const { dir, cleanup } = makeTempDir("ctjs-reader-");
  cleanups.push(cleanup);
  writeSidecars(dir, { paths: [TEST_PROGRAM], files: { [TEST_PROGRAM]: "// reader test\n" } });
  return dir;
}

function expectValid(dir: string): void {
  const check = validateTrace(dir);
  expect(check.ok, check.output).toBe(true);
}

function cbor(events: TraceEvent[]): Buffer {
  const encoder = new CborEncoder();
  for (const event of events) writeTraceEvent(encoder, event);
  return Buffer.from(encoder.toBytes());
}

/** A trace.bin made of the given frames, listed in a seek table. */
function archive(frames: { bytes: Uint8Array; decompressedSize: number }[]): Buffer {
  const table = new SeekTable();
  for (const frame of frames) table.add(frame.bytes.length, frame.decompressedSize);
  const tableBytes = Buffer.alloc(table.encodedSize());
  table.writeTo(tableBytes, 0);
  return Buffer.concat([Buffer.from(BINARY_TRACE_HEADER), ...frames.map((f) => f.bytes), tableBytes]);
}

function rawFrame(content: Buffer): { bytes: Uint8Array; decompressedSize: number } {
  return { bytes: encodeRawFrame(content), decompressedSize: content.length };
}

describe("reading trace.json", () => {
  it("reads pretty-printed arrays and strings full of JSON punctuation", () => {
    const events = minimalTrace([
      { VariableName: 'tricky ] } , [ { " \\ name' },
      { Step: { path_id: 0, line: 2 } },
      { Value: { variable_id: 0, value: { kind: "String", text: '"]},[{\\"', type_id: TYPE.String } } },
    ]);
    const dir = traceDir();
    writeFileSync(join(dir, "trace.json"), JSON.stringify(events, null, 2));
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
    expect(readTraceEvents(join(dir, "trace.json"))).toEqual(events);
  });

  it("returns integers beyond the safe range as bigints, and safe ones as numbers", () => {
    const dir = traceDir();
    const body = (i: string): string => `{"Value":{"variable_id":0,"value":{"kind":"Int","i":${i},"type_id":1}}}`;
    const text = minimalTrace([{ VariableName: "n" }, { Step: { path_id: 0, line: 2 } }])
      .map((e) => JSON.stringify(e))
      .concat(["9007199254740991", "-9007199254740991", "9007199254740993", "-9223372036854775808", "1234567890123456"].map(body));
    // The Return of minimalTrace() moves after the values.
    const ret = text.splice(text.indexOf('{"Return":{"return_value":{"kind":"None","type_id":0}}}'), 1);
    writeFileSync(join(dir, "trace.json"), `[${[...text, ...ret].join(",\n")}]`);
    expectValid(dir);
    const values = readTraceEvents(dir).flatMap((e) => ("Value" in e && e.Value.value.kind === "Int" ? [e.Value.value.i] : []));
    expect(values).toEqual([9007199254740991, -9007199254740991, 9007199254740993n, -9223372036854775808n, 1234567890123456]);
  });

  it("reads an event larger than its read chunk", () => {
    const big = "€".repeat(700_000); // 2.1 MB of UTF-8, across chunk boundaries
    const events = minimalTrace([
      { VariableName: "s" },
      { Step: { path_id: 0, line: 2 } },
      { Value: { variable_id: 0, value: { kind: "String", text: big, type_id: TYPE.String } } },
    ]);
    const dir = traceDir();
    const writer = createTraceWriter("json", dir);
    for (const event of events) writer.write(event);
    writer.close();
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });

  it("reads an empty array and refuses a truncated or foreign file", () => {
    const dir = traceDir();
    writeFileSync(join(dir, "trace.json"), " [ ] ");
    expect(readTraceEvents(dir)).toEqual([]);
    writeFileSync(join(dir, "trace.json"), '[{"Path":"/a.js"},{"Step":');
    const read: TraceEvent[] = [];
    expect(() => {
      for (const event of iterateTraceEvents(dir)) read.push(event);
    }).toThrow(/not closed/);
    expect(read).toEqual([{ Path: "/a.js" }]); // what came before the cut is still delivered
    writeFileSync(join(dir, "trace.json"), '{"Path":"/a.js"}');
    expect(() => readTraceEvents(dir)).toThrow(/expected a JSON array/);
    writeFileSync(join(dir, "trace.json"), '[{"Path":/a.js}]');
    expect(() => readTraceEvents(dir)).toThrow(/not valid JSON/);
  });
});

describe("reading trace.bin", () => {
  it("decodes an event that spans two frames", () => {
    const events = minimalTrace(richBody());
    const stream = cbor(events);
    const cut = Math.floor(stream.length / 2) + 1;
    const dir = traceDir();
    writeFileSync(join(dir, "trace.bin"), archive([rawFrame(stream.subarray(0, cut)), rawFrame(stream.subarray(cut))]));
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(readTraceEvents(writeJson(events)));
  });

  it("decodes frames compressed by the zstd CLI, with checksums", () => {
    const events = minimalTrace(Array.from({ length: 2000 }, (_, i) => ({ Step: { path_id: 0, line: 2 + (i % 7) } })));
    const stream = cbor(events);
    const compressed = execFileSync("zstd", ["-q", "-c", "-19", "--check"], { input: stream });
    const dir = traceDir();
    writeFileSync(join(dir, "trace.bin"), archive([{ bytes: compressed, decompressedSize: stream.length }]));
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });

  it("decodes frames with RLE blocks", () => {
    // {"VariableName": "a" × 1000}: a raw block up to the text head, then an RLE block of "a".
    const events: TraceEvent[] = [{ Path: TEST_PROGRAM }, { VariableName: "a".repeat(1000) }];
    const stream = cbor(events);
    const prefix = stream.subarray(0, stream.length - 1000);
    const blockHeader = (last: number, type: number, size: number): Buffer => {
      const value = last | (type << 1) | (size << 3);
      return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
    };
    const frame = Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3]), // magic, no content size, 128 KiB window
      blockHeader(0, 0, prefix.length),
      prefix,
      blockHeader(1, 1, 1000),
      Buffer.from("a"),
    ]);
    const dir = traceDir();
    writeFileSync(join(dir, "trace.bin"), archive([{ bytes: frame, decompressedSize: stream.length }]));
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });

  it("lists the frames of the seek table", () => {
    const stream = cbor(minimalTrace());
    const dir = traceDir();
    const file = join(dir, "trace.bin");
    writeFileSync(file, archive([rawFrame(stream.subarray(0, 10)), rawFrame(stream.subarray(10))]));
    const fd = openSync(file, "r");
    try {
      expect(readSeekTable(fd, file)).toEqual([
        { compressedSize: encodeRawFrame(stream.subarray(0, 10)).length, decompressedSize: 10 },
        { compressedSize: encodeRawFrame(stream.subarray(10)).length, decompressedSize: stream.length - 10 },
      ]);
    } finally {
      closeSync(fd);
    }
  });

  it("locates the events file and its format by content", () => {
    const dir = traceDir();
    const writer = new BinaryTraceWriter(dir);
    for (const event of minimalTrace()) writer.write(event);
    writer.close();
    expectValid(dir);
    expect(locateEventsFile(dir)).toEqual({ file: join(dir, "trace.bin"), format: "binary" });
    expect(readTraceEvents(join(dir, "trace.bin"))).toEqual(minimalTrace());
    const elsewhere = join(dir, "copy.events");
    writeFileSync(elsewhere, readFileSync(join(dir, "trace.bin")));
    expect(locateEventsFile(elsewhere).format).toBe("binary");
    expect(readTraceEvents(elsewhere)).toEqual(minimalTrace());
  });

  it("refuses a file whose seek table is missing or wrong", () => {
    const events = minimalTrace();
    const good = archive([rawFrame(cbor(events))]);
    const dir = traceDir();
    const file = join(dir, "trace.bin");
    writeFileSync(file, good.subarray(0, good.length - 3));
    expect(() => readTraceEvents(file)).toThrow(/no seek table/);
    const wrongSize = Buffer.from(good);
    wrongSize.writeUInt32LE(wrongSize.readUInt32LE(wrongSize.length - 17) + 1, wrongSize.length - 17);
    writeFileSync(file, wrongSize);
    expect(() => readTraceEvents(file)).toThrow(/add up to/);
    const cutEvent = archive([rawFrame(cbor(events).subarray(0, 20))]);
    writeFileSync(file, cutEvent);
    expect(() => readTraceEvents(file)).toThrow(/truncated/);
  });

  it("reads compressed frames with the pure-JS fzstd when the native codec is missing", () => {
    const dir = traceDir();
    const events = minimalTrace(Array.from({ length: 5000 }, (_, i) => ({ Step: { path_id: 0, line: 2 + (i % 11) } })));
    const writer = new BinaryTraceWriter(dir);
    expect(writer.compressed).toBe(true);
    for (const event of events) writer.write(event);
    writer.close();
    expectValid(dir);

    // A copy of the reader whose dependency path holds fzstd but not the native addon.
    const { dir: sandbox, cleanup } = makeTempDir("ctjs-reader-fzstd-");
    cleanups.push(cleanup);
    transpileRuntimeSources(join(sandbox, "runtime"), ["trace-reader", "writers", "trace-events.ts"]);
    mkdirSync(join(sandbox, "deps"));
    symlinkSync(join(runtimeNodeModules, "fzstd"), join(sandbox, "deps", "fzstd"), "dir");
    writeFileSync(
      join(sandbox, "runtime", "count.mjs"),
      `import { readTraceEvents } from "./trace-reader/index.js";
       import { compressionStatus } from "./writers/zstd-codec.js";
       const events = readTraceEvents(process.argv[2]);
       console.log(JSON.stringify({ native: compressionStatus().available, count: events.length, last: events.at(-1) }));`,
    );
    const run = spawnSync(process.execPath, [join(sandbox, "runtime", "count.mjs"), dir], {
      env: { ...process.env, NODE_PATH: join(sandbox, "deps") },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ native: false, count: events.length, last: events.at(-1) });
  });
});

function writeJson(events: TraceEvent[]): string {
  const dir = traceDir();
  const writer = createTraceWriter("json", dir);
  for (const event of events) writer.write(event);
  writer.close();
  return dir;
}
