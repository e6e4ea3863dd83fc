import { describe, expect, it } from "vitest";
import { formatConsoleArgs } from "../src/browser/console-format.js";

describe("browser console formatting", () => {
  it("joins arguments as a terminal shows them", () => {
    expect(formatConsoleArgs(["added", "Coffee beans", 12.5])).toBe("added Coffee beans 12.5");
    expect(formatConsoleArgs([1n, true, null, undefined, Symbol("s")])).toBe("1n true null undefined Symbol(s)");
    expect(formatConsoleArgs([{ a: 1, b: "x", c: [1, "two"] }])).toBe("{ a: 1, b: 'x', c: [ 1, 'two' ] }");
    expect(formatConsoleArgs([new TypeError("bad input")])).toBe("TypeError: bad input");
    expect(formatConsoleArgs([function named() {}, () => {}])).toBe("[Function: named] [Function (anonymous)]");
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(formatConsoleArgs([new Point(1, 2)])).toBe("Point { x: 1, y: 2 }");
    expect(formatConsoleArgs([Object.create(null)])).toBe("[Object: null prototype] {}");
  });

  it("applies printf-style directives of a leading string", () => {
    expect(formatConsoleArgs(["%s has %d items (%i%%), %f", "cart", 3, 42.9, 1.5])).toBe("cart has 3 items (42%), 1.5");
    expect(formatConsoleArgs(["%cstyled", "color: red", "after"])).toBe("styled after");
    expect(formatConsoleArgs(["%o and %s", { k: 1 }])).toBe("{ k: 1 } and %s");
  });

  it("runs no code of the program: getters, toString and proxies' traps stay untouched", () => {
    let ran = 0;
    const tricky = {
      get secret() {
        ran++;
        return 1;
      },
      toString() {
        ran++;
        return "no";
      },
    };
    expect(formatConsoleArgs([tricky])).toBe("{ secret: [Getter], toString: [Function: toString] }");
    expect(formatConsoleArgs(["%s", tricky])).toContain("[Getter]");
    expect(ran).toBe(0);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(formatConsoleArgs([revocable.proxy])).toBe("[object]");
  });

  it("bounds what it produces", () => {
    const deep = { a: { b: { c: { d: 1 } } } };
    expect(formatConsoleArgs([deep])).toBe("{ a: { b: [Object] } }");
    expect(formatConsoleArgs([Array.from({ length: 30 }, (_, i) => i)])).toContain("… 10 more items");
    const long = formatConsoleArgs(["x".repeat(100_000)]);
    expect(long.length).toBeLessThan(70_000);
    expect(long).toMatch(/… \(100000 chars\)$/);
  });
});
