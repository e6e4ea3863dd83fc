// A process's peak resident set size (Linux VmHWM). Not process.resourceUsage().maxRSS: Linux
// carries the parent's peak into a child started through vfork-style spawning (as libuv does), so a
// child's maxRSS can report the parent's high-water mark instead of its own.
import { readFileSync } from "node:fs";

/** Peak RSS in bytes of `pid` ("self" by default), or undefined where /proc cannot tell. */
export function peakRssBytes(pid = "self") {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
