// Runs a Node script as a child process with a time limit. A child still running at the limit has
// its peak RSS read from /proc (Linux) and is then killed, so a run that takes far too long still
// tells how far it got instead of stalling the whole suite.
import { spawn } from "node:child_process";
import { peakRssBytes } from "./peak-rss.mjs";

/**
 * Resolves to { status, signal, timedOut, lines (stdout, one per line), stderr, elapsedMs,
 * peakRssAtTimeoutBytes }. stderr is kept, not shown, unless `showStderr`.
 */
export function runNode(script, args, { timeoutMs = 10 * 60_000, nodeArgs = [], showStderr = false, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ["ignore", "pipe", showStderr ? "inherit" : "pipe"], env });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let peakRssAtTimeoutBytes;
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      peakRssAtTimeoutBytes = peakRssBytes(child.pid);
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        timedOut,
        lines: stdout.split("\n").filter((line) => line.trim() !== ""),
        stderr,
        elapsedMs: performance.now() - t0,
        peakRssAtTimeoutBytes,
      });
    });
  });
}

/** The JSON objects a child printed one per line (other lines are skipped). */
export function jsonLines(lines) {
  const objects = [];
  for (const line of lines) {
    try {
      objects.push(JSON.parse(line));
    } catch {
      // not one of ours
    }
  }
  return objects;
}
