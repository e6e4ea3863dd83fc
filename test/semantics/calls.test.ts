/**
 * Checklist item 16 (call receivers and short-circuits) and, from "Also:", optional chaining on
 * calls and template literals.
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";
import { traceFacts } from "../helpers/trace-facts.js";

describe("16. call receivers and short-circuits", () => {
  it("keeps receivers of optional calls and member calls", () => {
    const r = differential(
      `let hits = 0;
const side = () => (hits++, 1);
const o = { v: 1, m(a) { return this === o && a } };
console.log(o.m?.(5), o.nope?.(side()), o?.m(6), hits);
const n = null;
console.log(n?.b.c(side()), n?.[side()], hits);
const a = { b: { c() { return this === a.b } } };
console.log(a?.b.c(), a.b?.c(), a?.b?.c?.(), (a?.b).c());
console.log((o.m)(7), (0, o.m)(7), o.m.call(o, 8), o.m?.call(o, 9), o["m"]?.(10));
const arr = [function () { return this === arr }];
console.log(arr[0](), arr?.[0]?.());
const maybe = undefined;
console.log(maybe?.(), delete maybe?.x, hits);
`,
    );
    expect(r.plain.stdout.split("\n")[0]).toBe("5 undefined 6 0");
  });

  it("gives tagged templates the same strings object per site", () => {
    const r = differential(
      `function tag(strings, ...values) { return strings }
const f = () => tag\`x\${1}y\${2}z\`;
const first = f(), second = f();
console.log(first === second, Object.isFrozen(first), first.raw.join("|"), first.join("|"));
const other = tag\`x\${1}y\${2}z\`;
console.log(first === other);
const t = { tag(s) { return this === t } };
console.log(t.tag\`hi\`, (t?.tag)\`hi\`);
function values(s, ...v) { return v.join("+") }
let c = 0;
console.log(values\`\${++c}\${++c}\${c}\`, c);
console.log(String.raw\`a\\nb\${1 + 1}\`);
`,
    );
    expect(r.plain.stdout.split("\n")[0]).toBe("true true x|y|z x|y|z");
  });

  it("keeps super.m() receivers and super calls through arrows", () => {
    differential(
      `class A { m() { return this.name } static sm() { return this.label } }
class B extends A {
  name = "b-instance";
  static label = "B-class";
  m() { return "B(" + super.m() + ")" }
  arrow() { return [1].map(() => super.m()).join() }
  static sm() { return "static " + super.sm() }
  optional() { return super.m?.() }
}
const b = new B();
console.log(b.m(), b.arrow(), B.sm(), b.optional());
`,
    );
  });

  it("evaluates template literal substitutions once, calling toString once", () => {
    const r = differential(
      `let calls = 0;
const obj = { toString() { calls++; return "OBJ" } };
function show(x) { const s = \`<\${x}>\`; return s }
console.log(show(obj), calls);
const multi = \`a\${(calls++, "b")}c\${calls}\`;
console.log(multi, calls);
const nested = \`outer \${\`inner \${obj}\`}\`;
console.log(nested, calls);
`,
    );
    expect(r.plain.stdout).toBe("<OBJ> 1\nabc2 2\nouter inner OBJ 3\n");
    expect(traceFacts(r.events).callsOf("show")[0]!.returned).toBe("<OBJ>");
  });
});
