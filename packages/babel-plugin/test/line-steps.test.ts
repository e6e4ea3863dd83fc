/**
 * Line steps: one site before every statement and every loop test and update, at the developer's
 * line and column, each with the variables of its function that are readable there. A binding
 * in its temporal dead zone is never among them: reading it would throw.
 */
import { describe, expect, it } from "vitest";
import { emittedTable, loggingProbes, positionOf, runScripts, transformWithPlugin, type TableSite } from "./plugin-harness.js";

const TOTAL = `function total(prices, discount) {
  let sum = 0;
  for (let i = 0; i < prices.length; i++) {
    const price = prices[i];
    sum += price;
  }
  let count = 0;
  while (count < 2) count++;
  do {
    count--;
  } while (count > 0);
  for (const p of prices) {
    if (p > 10) break;
  }
  const result = sum - discount;
  return result;
}
print(total([5, 20, 7], 2));
`;

/** A site expected at the first occurrence of `at` (after `after`, when given), with these variables. */
function site(source: string, at: string, variables: string[], after?: string): TableSite {
  const from = after === undefined ? 0 : source.indexOf(after);
  return { ...positionOf(source, at, from), variables };
}

const byPosition = (a: TableSite, b: TableSite) => a.line - b.line || a.column - b.column || a.variables.length - b.variables.length;

function sitesOf(source: string, filename: string): TableSite[] {
  return emittedTable(transformWithPlugin(source, filename, {}, { sourceType: "script" }).code).sites;
}

describe("line steps of a function", () => {
  it("come before each statement and each loop test and update, with the variables in scope", () => {
    const sites = sitesOf(TOTAL, "/projects/app/total.js");
    const params = ["prices", "discount"];
    const expected = [
      site(TOTAL, "let sum", params),
      site(TOTAL, "for (let i", [...params, "sum"]),
      site(TOTAL, "i < prices.length", [...params, "sum", "i"]),
      site(TOTAL, "i++", [...params, "sum", "i"]),
      site(TOTAL, "const price", [...params, "sum", "i"]),
      site(TOTAL, "sum += price", [...params, "sum", "i", "price"]),
      site(TOTAL, "let count", [...params, "sum"]),
      site(TOTAL, "while (count < 2)", [...params, "sum", "count"]),
      site(TOTAL, "count < 2", [...params, "sum", "count"]),
      site(TOTAL, "count++", [...params, "sum", "count"]),
      site(TOTAL, "do {", [...params, "sum", "count"]),
      site(TOTAL, "count--", [...params, "sum", "count"]),
      site(TOTAL, "count > 0", [...params, "sum", "count"]),
      // the for-of statement itself, then each iteration's head with the loop variable bound
      site(TOTAL, "for (const p", [...params, "sum", "count"]),
      site(TOTAL, "for (const p", [...params, "sum", "count", "p"]),
      site(TOTAL, "if (p > 10)", [...params, "sum", "count", "p"]),
      site(TOTAL, "break", [...params, "sum", "count", "p"]),
      site(TOTAL, "const result", [...params, "sum", "count"]),
      site(TOTAL, "return result", [...params, "sum", "count", "result"]),
      site(TOTAL, "print(total", []),
    ];
    expect([...sites].sort(byPosition)).toEqual(expected.sort(byPosition));
  });

  it("run in program order with the values the variables hold", () => {
    const { log, probes } = loggingProbes();
    expect(runScripts([{ code: transformWithPlugin(TOTAL, "/projects/app/total.js", {}, { sourceType: "script" }).code, filename: "total.js" }], probes).printed).toEqual(["30"]);
    const steps = log.filter((l) => l.startsWith("step total")).map((l) => l.slice("step total ".length));
    const line = (text: string, after?: string) => positionOf(TOTAL, text, after === undefined ? 0 : TOTAL.indexOf(after));
    const at = (text: string, values: string, after?: string) => `${line(text, after).line}:${line(text, after).column} ${values}`;
    const ps = "prices=[5,20,7] discount=2";
    expect(steps.slice(0, 8)).toEqual([
      at("let sum", ps),
      at("for (let i", `${ps} sum=0`),
      at("i < prices", `${ps} sum=0 i=0`),
      at("const price", `${ps} sum=0 i=0`),
      at("sum += price", `${ps} sum=0 i=0 price=5`),
      at("i++", `${ps} sum=5 i=0`),
      at("i < prices", `${ps} sum=5 i=1`),
      at("const price", `${ps} sum=5 i=1`),
    ]);
    expect(steps.slice(-4)).toEqual([
      at("if (p > 10)", `${ps} sum=32 count=0 p=20`),
      at("break", `${ps} sum=32 count=0 p=20`),
      at("const result", `${ps} sum=32 count=0`),
      at("return result", `${ps} sum=32 count=0 result=30`),
    ]);
    expect(log[log.length - 2]).toBe("exit total 30");
  });
});

describe("temporal dead zone", () => {
  const SOURCE = `function tdz(flag) {
  const read = () => later;
  let early = 1;
  {
    early++;
    let blockLater = early;
    early += blockLater;
  }
  hoistedVar = early;
  let later = early + 1;
  switch (flag) {
    case 0:
      let caseLocal = 1;
      early += caseLocal;
      break;
    case 1:
      early += 10;
  }
  try {
    throw early;
  } catch (caught) {
    early = caught;
  }
  class Local {}
  var hoistedVar;
  return read() + early + String(Local === undefined);
}
print(tdz(1));
print(tdz(0));
`;

  it("no site captures a let or const before its declaration ran, or a class binding", () => {
    const sites = sitesOf(SOURCE, "/projects/app/tdz.js");
    const at = (text: string) => sites.filter((s) => s.line === positionOf(SOURCE, text).line && s.column === positionOf(SOURCE, text).column);
    // variables are listed by declaration position (the `var` last); `read` itself is in its TDZ
    // at its own declaration, `later` until its declaration ran
    expect(at("const read")).toEqual([site(SOURCE, "const read", ["flag", "hoistedVar"])]);
    expect(at("let early")).toEqual([site(SOURCE, "let early", ["flag", "read", "hoistedVar"])]);
    expect(at("let blockLater")).toEqual([site(SOURCE, "let blockLater", ["flag", "read", "early", "hoistedVar"])]);
    expect(at("early += blockLater")).toEqual([site(SOURCE, "early += blockLater", ["flag", "read", "early", "blockLater", "hoistedVar"])]);
    expect(at("hoistedVar = early")).toEqual([site(SOURCE, "hoistedVar = early", ["flag", "read", "early", "hoistedVar"])]);
    expect(at("switch (flag)")).toEqual([site(SOURCE, "switch (flag)", ["flag", "read", "early", "later", "hoistedVar"])]);
    // a case's let may not have run when another case is entered
    expect(at("early += 10")).toEqual([site(SOURCE, "early += 10", ["flag", "read", "early", "later", "hoistedVar"])]);
    expect(at("early += caseLocal")).toEqual([site(SOURCE, "early += caseLocal", ["flag", "read", "early", "later", "caseLocal", "hoistedVar"])]);
    // the catch parameter inside its clause; the class binding never
    expect(at("early = caught")).toEqual([site(SOURCE, "early = caught", ["flag", "read", "early", "later", "caught", "hoistedVar"])]);
    expect(at("return read()")).toEqual([site(SOURCE, "return read()", ["flag", "read", "early", "later", "hoistedVar"])]);
  });

  it("capturing never throws, on every path", () => {
    const output = transformWithPlugin(SOURCE, "/projects/app/tdz.js", {}, { sourceType: "script" });
    const plain = runScripts([{ code: SOURCE, filename: "tdz.js" }]).printed;
    expect(plain).toEqual(["19false", "10false"]);
    const { log, probes } = loggingProbes();
    expect(runScripts([{ code: output.code, filename: "tdz.js" }], probes).printed).toEqual(plain);
    expect(log.filter((l) => l.startsWith("exit tdz"))).toEqual(['exit tdz "19false"', 'exit tdz "10false"']);
  });

  it("an inner binding in its TDZ hides the outer one of the same name", () => {
    const source = `function shadow() {
  let value = "outer";
  {
    print(typeof value === "string");
    let value = "inner";
    print(value);
  }
  return value;
}
try { shadow(); } catch (error) { print(error.name); }
`;
    const sites = sitesOf(source, "/projects/app/shadow.js");
    expect(sites.filter((s) => s.line === 4 || s.line === 6)).toEqual([site(source, "print(typeof", []), site(source, "print(value)", ["value"])]);
    const plain = runScripts([{ code: source, filename: "shadow.js" }]).printed;
    expect(plain).toEqual(["ReferenceError"]);
    const { probes } = loggingProbes();
    expect(runScripts([{ code: transformWithPlugin(source, "/projects/app/shadow.js", {}, { sourceType: "script" }).code, filename: "shadow.js" }], probes).printed).toEqual(plain);
  });

  it("a closure's steps capture its own variables only, not those of the function around it", () => {
    const source = `function outer(a) {
  let before = a;
  const inner = (b) => {
    const c = b + 1;
    return c + before + after;
  };
  let after = 2;
  return inner(1);
}
print(outer(5));
`;
    const sites = sitesOf(source, "/projects/app/closure.js");
    expect(sites.filter((s) => s.line === 4 || s.line === 5)).toEqual([site(source, "const c", ["b"]), site(source, "return c", ["b", "c"])]);
    const { probes } = loggingProbes();
    expect(runScripts([{ code: transformWithPlugin(source, "/projects/app/closure.js", {}, { sourceType: "script" }).code, filename: "closure.js" }], probes).printed).toEqual(["9"]);
  });
});
