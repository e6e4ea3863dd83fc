import { Packr } from "msgpackr";
import type { TraceEvent } from "../trace-events.js";
import { withWellFormedStrings } from "./well-formed.js";

/**
 * The wire format for batches of events between the recording side (a worker, browser code) and
 * the writer (the Vite dev server): msgpack through msgpackr. Plain maps, no shared record
 * structures, so every batch decodes on its own. Bigint Int values travel as msgpack 64-bit
 * integers (or msgpackr's bigint extension beyond 64 bits) and come back as bigints; numbers come
 * back as numbers.
 *
 * UTF-8 cannot carry a lone surrogate, and msgpackr's encoders would not replace it consistently,
 * so strings are made well formed (U+FFFD) first, exactly as the trace writers do; every other
 * string round-trips unchanged.
 */
const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  useBigIntExtension: true,
  int64AsType: "bigint",
});

export function encodeBatch(events: readonly TraceEvent[]): Uint8Array {
  return packr.pack(withWellFormedStrings(events));
}

export function decodeBatch(bytes: Uint8Array): TraceEvent[] {
  const decoded: unknown = packr.unpack(bytes);
  if (!Array.isArray(decoded)) throw new TypeError("an event batch must decode to an array of events");
  return decoded as TraceEvent[];
}
