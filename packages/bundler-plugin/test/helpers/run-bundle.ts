import { spawnSync } from "node:child_process";

export interface BundleRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs a bundle with node in `cwd`, with the test runner's own CTJS_* and NODE_OPTIONS removed
 * so that only `env` decides whether it records.
 */
export function runBundle(bundle: string, cwd: string, env: Record<string, string> = {}): BundleRun {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("CTJS_") && key !== "NODE_OPTIONS" && !key.startsWith("VITEST")),
  );
  const result = spawnSync(process.execPath, [bundle], { cwd, env: { ...base, ...env }, encoding: "utf8", timeout: 30_000 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
