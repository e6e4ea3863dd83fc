/**
 * The zstd codec: native addon first, and the WebAssembly build once the addon has handed out
 * more compressed bytes than the event loop has had a chance to free (see zstd-codec.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BinaryTraceWriter } from "../src/writers/index.js";
import { setNativeBytesPerTurn, zstdCodec } from "../src/writers/zstd-codec.js";
import { readTraceEvents } from "../src/trace-reader/index.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM, epilogue, prologue } from "./helpers/trace-events.js";
import { validateTrace } from "./helpers/validate.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  setNativeBytesPerTurn(16 * 1024 * 1024);
  while (cleanups.length) cleanups.pop()!();
});

describe("zstd codec", () => {
  it("compresses with the WebAssembly build past the per-turn limit, into frames every decoder reads", () => {
    const codec = zstdCodec();
    expect(codec).toBeDefined();
    const input = Buffer.from("ctjs ".repeat(20000) + Array.from({ length: 5000 }, (_, i) => String(i * 7919)).join(","));
    setNativeBytesPerTurn(0); // every frame now comes from the WebAssembly build
    const viaWasm = codec!.compress(input, 1);
    expect(viaWasm.length).toBeLessThan(input.length / 4);
    expect(codec!.decompress(viaWasm).equals(input)).toBe(true);
  });

  it("writes a valid trace while switching codecs in one synchronous stretch", () => {
    setNativeBytesPerTurn(1024);
    const { dir, cleanup } = makeTempDir("ctjs-zstd-switch-");
    cleanups.push(cleanup);
    const writer = new BinaryTraceWriter(dir, { batchBytes: 64 * 1024 });
    expect(writer.compressed).toBe(true);
    const head = prologue();
    const tail = epilogue();
    for (const event of head) writer.write(event);
    writer.write({ VariableName: "i" });
    const steps = 200_000;
    for (let i = 0; i < steps; i++) {
      writer.write({ Step: { path_id: 0, line: 2 + (i % 13) } });
      writer.write({ Value: { variable_id: 0, value: { kind: "Int", i, type_id: 1 } } });
    }
    for (const event of tail) writer.write(event);
    writer.close();
    writeSidecars(dir, { paths: [TEST_PROGRAM], files: { [TEST_PROGRAM]: "// a test program\n" } });
    // compressed: raw frames would take over 10 bytes a step
    expect(readFileSync(join(dir, "trace.bin")).length).toBeLessThan(steps * 4);
    expect(readTraceEvents(dir).length).toBe(head.length + 1 + 2 * steps + tail.length);
    const validation = validateTrace(dir);
    expect(validation.ok, validation.output).toBe(true);
  });
});
