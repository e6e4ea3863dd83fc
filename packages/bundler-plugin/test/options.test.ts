import path from "node:path";
import { describe, expect, it } from "vitest";
import ctjsEsbuild from "../src/esbuild.js";
import { BundlerOptionError, resolveBundlerOptions, traceDirFor } from "../src/options.js";
import ctjsRollup from "../src/rollup.js";
import ctjsVite from "../src/vite.js";
import ctjsWebpack from "../src/webpack.js";

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("resolveBundlerOptions", () => {
  it("has defaults that skip node_modules and write binary traces under <root>/ct-traces", () => {
    const options = resolveBundlerOptions(undefined, "/project");
    expect(options).toMatchObject({
      include: [],
      exclude: ["**/node_modules/**"],
      root: undefined,
      values: true,
      runtimeImport: undefined,
      warnings: true,
      format: "binary",
      traceDir: "/project/ct-traces",
    });
  });

  it("resolves the root, a relative traceDir and single globs", () => {
    const options = resolveBundlerOptions({ root: "app", traceDir: "out/traces", include: "src/**", exclude: [], format: "json", values: false, runtimeImport: false }, "/project");
    expect(options).toMatchObject({ root: "/project/app", traceDir: "/project/app/out/traces", include: ["src/**"], exclude: [], format: "json", values: false, runtimeImport: false });
  });

  it.each([true, false, "changed", "full"] as const)("takes values: %j as given", (values) => {
    expect(resolveBundlerOptions({ values }, "/project").values).toBe(values);
  });

  it("gives a host root (Vite's) to the default trace directory unless the root option is set", () => {
    expect(traceDirFor(resolveBundlerOptions({}, "/cwd"), "/vite-root")).toBe("/vite-root/ct-traces");
    expect(traceDirFor(resolveBundlerOptions({ traceDir: "t" }, "/cwd"), "/vite-root")).toBe("/vite-root/t");
    expect(traceDirFor(resolveBundlerOptions({ root: "/fixed" }, "/cwd"), "/vite-root")).toBe("/fixed/ct-traces");
    expect(traceDirFor(resolveBundlerOptions({ traceDir: "/abs/traces" }, "/cwd"), "/vite-root")).toBe("/abs/traces");
  });

  it.each([
    [{ inclde: ["src/**"] }, /unknown option "inclde" \(known: include, exclude, root, values, runtimeImport, warnings, traceDir, format\)/],
    [{ include: 3 }, /option include must be a glob string or an array of glob strings, got 3/],
    [{ exclude: ["ok", ""] }, /option exclude must be .*, got \["ok",""\]/],
    [{ values: "yes" }, /option values must be true, false, "changed" or "full", got "yes"/],
    [{ values: "fast" }, /option values must be true, false, "changed" or "full", got "fast"/],
    [{ values: 1 }, /option values must be true, false, "changed" or "full", got 1/],
    [{ runtimeImport: true }, /option runtimeImport must be a module specifier string or false, got true/],
    [{ format: "xml" }, /option format must be one of "json", "binary", got "xml"/],
    [{ traceDir: "" }, /option traceDir must be a non-empty string, got ""/],
    [{ root: 1 }, /option root must be a non-empty string, got 1/],
    ["src/**", /options must be an object, got "src\/\*\*"/],
    [["src/**"], /options must be an object/],
  ])("rejects %j with a one-line message naming the problem", (raw, message) => {
    const error = errorOf(() => resolveBundlerOptions(raw));
    expect(error).toBeInstanceOf(BundlerOptionError);
    expect(error.message).toMatch(/^@ctjs\/bundler-plugin: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });
});

describe("plugin factories", () => {
  const bad = { valuse: false } as unknown as Record<string, never>;
  it.each([
    ["esbuild", () => ctjsEsbuild(bad)],
    ["rollup", () => ctjsRollup(bad)],
    ["webpack", () => ctjsWebpack(bad)],
    ["vite", () => ctjsVite(bad)],
  ])("%s validates its options when created", (_name, create) => {
    expect(errorOf(create).message).toMatch(/unknown option "valuse"/);
  });

  it("vite gives the transform and the dev-server endpoint, the endpoint only in serve mode", () => {
    const plugins = ctjsVite({ traceDir: path.join("/tmp", "x") });
    expect(plugins.map((p) => p.name)).toEqual(["ctjs", "ctjs:trace-endpoint"]);
    expect(plugins[0]!.enforce).toBe("pre");
    expect(plugins[1]!.apply).toBe("serve");
  });
});
