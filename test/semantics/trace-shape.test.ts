/**
 * Trace facts the constructs shape: recursion depth, argument values (defaults, rest and
 * destructured leaves by name), return values and variable values at lines.
 */
import { describe, expect, it } from "vitest";
import { differential, lineOf } from "../helpers/differential.js";
import { traceFacts } from "../helpers/trace-facts.js";

describe("trace shape", () => {
  it("nests recursive calls and records their return values", () => {
    const source = `function fact(n) {
  if (n <= 1) return 1;
  return n * fact(n - 1);
}
console.log(fact(4));
`;
    const r = differential(source);
    const facts = traceFacts(r.events);
    const calls = facts.callsOf("fact");
    expect(calls.map((c) => c.args.n)).toEqual([4, 3, 2, 1]);
    const depths = calls.map((c) => c.depth);
    expect(depths).toEqual([depths[0], depths[0]! + 1, depths[0]! + 2, depths[0]! + 3]);
    expect(calls.map((c) => c.returned)).toEqual([24, 6, 2, 1]);
    expect(calls.slice(1).every((c) => c.parent === "fact")).toBe(true);
  });

  it("records arguments by leaf name: defaults, rest and destructuring", () => {
    const source = `function f(a, b = 2, { c, d: [e, f2 = "dflt"] }, ...rest) { return [a, b, c, e, f2, rest.length].join() }
const arrow = ({ x, y: { z } }, [p, , q] = [7, 8, 9]) => x + z + p + q;
console.log(f(1, undefined, { c: 3, d: [4] }, 5, 6), arrow({ x: 1, y: { z: 2 } }));
`;
    const r = differential(source);
    const facts = traceFacts(r.events);
    expect(facts.callsOf("f")[0]!.args).toEqual({ a: 1, b: 2, c: 3, e: 4, f2: "dflt", rest: [5, 6] });
    expect(facts.callsOf("arrow")[0]!.args).toEqual({ x: 1, z: 2, p: 7, q: 9 });
    expect(facts.callsOf("f")[0]!.returned).toBe("1,2,3,4,dflt,2");
  });

  it("records variable values at the lines that follow their assignment", () => {
    const source = `function work() {
  let x = 1;
  x = x + 1;
  const label = "x is " + x;
  return label; // @ret
}
work();
`;
    const r = differential(source);
    const facts = traceFacts(r.events);
    const atReturn = facts.valuesAt(lineOf(source, "@ret"), "work");
    expect(atReturn).toHaveLength(1);
    expect(atReturn[0]).toMatchObject({ x: 2, label: "x is 2" });
    expect(facts.linesOf("work")).toEqual(expect.arrayContaining([2, 3, 4, 5]));
  });

  it("shows every parameter's current value at each step, kept from entry or passed", () => {
    const source = `function kept(a, { b }, c = a + 1, ...rest) {
  const sum = a + b + c + rest.length;
  return sum; // @kept
}
function reassigned(a, b) {
  a = a * 10;
  const bump = () => { b += 1 };
  bump();
  return a + b; // @reassigned
}
function sloppyAlias(a) {
  arguments[0] = "changed";
  return a; // @alias
}
function evaluated(a) {
  eval("a = 'from eval'");
  return a; // @eval
}
function shadowed(a) {
  { const a = "inner"; console.log(a) } // @inner
  return a; // @outer
}
console.log(kept(1, { b: 2 }, undefined, 9, 9), reassigned(1, 2), sloppyAlias("first"), evaluated("param"), shadowed("param"));
`;
    const r = differential(source, { ext: ".cjs" });
    expect(r.plain.stdout).toBe("inner\n7 13 changed from eval param\n");
    const facts = traceFacts(r.events);
    expect(facts.valuesAt(lineOf(source, "@kept"), "kept")[0]).toMatchObject({ a: 1, b: 2, c: 2, rest: [9, 9], sum: 7 });
    expect(facts.valuesAt(lineOf(source, "@reassigned"), "reassigned")[0]).toMatchObject({ a: 10, b: 3 });
    expect(facts.valuesAt(lineOf(source, "@alias"), "sloppyAlias")[0]).toMatchObject({ a: "changed" });
    expect(facts.valuesAt(lineOf(source, "@eval"), "evaluated")[0]).toMatchObject({ a: "from eval" });
    expect(facts.valuesAt(lineOf(source, "@outer"), "shadowed")[0]).toMatchObject({ a: "param" });
  });

  it("records each loop iteration's values", () => {
    const source = `let sum = 0;
for (let i = 0; i < 3; i++) {
  sum += i; // @body
}
console.log(sum);
`;
    const r = differential(source);
    const facts = traceFacts(r.events);
    const atBody = facts.valuesAt(lineOf(source, "@body"));
    expect(atBody.map((v) => v.i)).toEqual([0, 1, 2]);
    expect(facts.stdout).toBe("3\n");
  });

  it("attributes output to the trace and keeps stdout and stderr apart", () => {
    const r = differential(`console.log("to stdout");\nconsole.error("to stderr");\nprocess.stdout.write("raw\\n");\n`);
    const facts = traceFacts(r.events);
    expect(facts.stdout).toBe("to stdout\nraw\n");
    expect(r.recorded.stderr).toBe("to stderr\n");
  });

  it("records a function that throws with exactly one exit", () => {
    const r = differential(`function boom(n) { if (n) throw new Error("boom " + n); return "fine" }\ntry { boom(1) } catch {}\nboom(0);\n`);
    const facts = traceFacts(r.events);
    const calls = facts.callsOf("boom");
    expect(calls).toHaveLength(2);
    expect(facts.outline((e) => e.kind !== "step" && e.kind !== "output" && e.name === "boom")).toEqual(["call boom", "return boom", "call boom", "return boom"]);
    expect(calls[1]!.returned).toBe("fine");
  });
});
