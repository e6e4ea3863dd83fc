import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ALL_EVENTS, EVENTS, Frame, NO_EVENTS, TOOL_IDS, addEvent, eventSet, eventsIn, formatEventSet, freeToolId, getEvents, getToolName,
  hasEvent, installTracer, isStackOverflow, clearPendingException, CLOSED, probes, registerCallback, removeEvent, setDiagnosticSink, setEvents, uninstallTracer, useToolId, UNWINDING,
  type FileTable,
} from "../src/index.js";

const table: FileTable = { ctjs: 1, path: "/abs/a.js", names: ["a", "b"], fns: [["<module>", 1, 0, [], 4], ["f", 2, 0, [0, 1], 0]], sites: [[3, 2, [0, 1]]] };

afterEach(() => {
  for (let tool = 0; tool < 8; tool++) if (getToolName(tool) !== undefined) freeToolId(tool);
});

describe("event sets", () => {
  it("are bit masks with helpers", () => {
    const set = eventSet(EVENTS.LINE, EVENTS.RETURN);
    expect(hasEvent(set, EVENTS.LINE)).toBe(true);
    expect(hasEvent(set, EVENTS.FUNCTION_START)).toBe(false);
    expect(eventsIn(addEvent(set, EVENTS.RAISE))).toEqual([EVENTS.RETURN, EVENTS.LINE, EVENTS.RAISE]);
    expect(removeEvent(set, EVENTS.LINE)).toBe(1 << EVENTS.RETURN);
    expect(formatEventSet(set)).toBe("RETURN|LINE");
    expect(formatEventSet(NO_EVENTS)).toBe("NO_EVENTS");
    expect(eventsIn(ALL_EVENTS)).toHaveLength(9);
    expect(() => eventSet(42)).toThrow(/unknown event id 42/);
  });
});

describe("tool ids", () => {
  it("are claimed, named and freed", () => {
    expect(TOOL_IDS).toEqual({ DEBUGGER: 0, COVERAGE: 1, PROFILER: 2, OPTIMIZER: 5 });
    useToolId(TOOL_IDS.COVERAGE, "cov");
    expect(getToolName(TOOL_IDS.COVERAGE)).toBe("cov");
    expect(() => useToolId(TOOL_IDS.COVERAGE, "other")).toThrow(/already in use by "cov"/);
    freeToolId(TOOL_IDS.COVERAGE);
    expect(getToolName(TOOL_IDS.COVERAGE)).toBeUndefined();
    expect(() => useToolId(99, "x")).toThrow(/invalid tool id 99/);
  });

  it("registerCallback returns the previous callback and setEvents drives the probe flags", () => {
    useToolId(3, "t");
    const first = () => {};
    const second = () => {};
    expect(registerCallback(3, EVENTS.LINE, first)).toBeUndefined();
    expect(registerCallback(3, EVENTS.LINE, second)).toBe(first);
    expect(probes.onLine).toBe(false);
    setEvents(3, eventSet(EVENTS.LINE));
    expect(getEvents(3)).toBe(1 << EVENTS.LINE);
    expect(probes.onLine).toBe(true);
    expect(probes.onCall).toBe(false);
    setEvents(3, NO_EVENTS);
    expect(probes.onLine).toBe(false);
  });

  it("writes a probe flag only when it changes (a written field is no longer a constant to V8)", () => {
    const writes: string[] = [];
    const flags = ["onCall", "onLine", "onRaise", "onHandled", "active"] as const;
    const saved = flags.map((flag) => Object.getOwnPropertyDescriptor(probes, flag)!);
    for (const flag of flags) {
      let value = probes[flag];
      Object.defineProperty(probes, flag, { get: () => value, set: (v: boolean) => { writes.push(`${flag}=${v}`); value = v; }, configurable: true, enumerable: true });
    }
    try {
      useToolId(3, "t");
      registerCallback(3, EVENTS.LINE, () => {});
      setEvents(3, NO_EVENTS);
      freeToolId(3);
      expect(writes).toEqual([]);
      useToolId(3, "t");
      registerCallback(3, EVENTS.LINE, () => {});
      setEvents(3, eventSet(EVENTS.LINE));
      setEvents(3, eventSet(EVENTS.LINE));
      expect(writes).toEqual(["onLine=true", "active=true"]);
    } finally {
      flags.forEach((flag, i) => Object.defineProperty(probes, flag, saved[i]!));
    }
  });
});

describe("probes", () => {
  it("call several tools in tool-id order", () => {
    const order: string[] = [];
    useToolId(4, "late");
    useToolId(1, "early");
    registerCallback(4, EVENTS.LINE, () => order.push("late"));
    registerCallback(1, EVENTS.LINE, () => order.push("early"));
    setEvents(4, eventSet(EVENTS.LINE));
    setEvents(1, eventSet(EVENTS.LINE));
    probes.line(table, 0, 1, 2);
    expect(order).toEqual(["early", "late"]);
  });

  it("disable a tool whose callback throws, report once, and keep the program going", () => {
    const report = vi.fn();
    setDiagnosticSink(report);
    const other = vi.fn();
    useToolId(2, "broken");
    useToolId(3, "fine");
    registerCallback(2, EVENTS.LINE, () => {
      throw new Error("boom");
    });
    registerCallback(3, EVENTS.LINE, other);
    setEvents(2, eventSet(EVENTS.LINE));
    setEvents(3, eventSet(EVENTS.LINE));
    expect(() => probes.line(table, 0)).not.toThrow();
    expect(() => probes.line(table, 0)).not.toThrow();
    expect(report).toHaveBeenCalledTimes(1);
    expect(report.mock.calls[0]![0]).toMatch(/"broken" failed in its LINE callback.*boom/);
    expect(getEvents(2)).toBe(0);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it("a Tracer object gets frames, arguments, returns, suspensions and lazy resumption", () => {
    const log: unknown[] = [];
    installTracer(TOOL_IDS.DEBUGGER, "test", {
      onStart: (frame, args) => log.push(["start", frame.fn, args]),
      onReturn: (frame, value) => log.push(["return", frame.fn, value]),
      onUnwind: (frame, exception, known) => log.push(["unwind", frame.fn, exception, known]),
      onYield: (frame, value) => log.push(["yield", value]),
      onResume: (frame, value) => log.push(["resume", value]),
      onThrow: () => log.push(["throw-in"]),
      onLine: (file, frame, site, values) => log.push(["line", site, values, frame !== null]),
      onRaise: (_file, _frame, value) => log.push(["raise", value]),
      onHandled: (_file, _frame, value) => log.push(["handled", value]),
    });
    expect(probes.onCall && probes.onLine && probes.onRaise && probes.onHandled).toBe(true);
    const frame = probes.enter(table, 1, 1, 2);
    expect(frame).toBeInstanceOf(Frame);
    probes.line(frame, 0, 1, 2);
    probes.suspend(frame, "p");
    probes.resume(frame, 5);
    probes.suspend(frame, "q");
    probes.handled(frame, "rejected"); // a rejected await resumes lazily, by an exception
    probes.raise(frame, "err");
    probes.exit(frame, UNWINDING);
    probes.exit(frame, 3); // a second exit of the same activation is ignored
    expect(log).toEqual([
      ["start", 1, [1, 2]],
      ["line", 0, [1, 2], true],
      ["yield", "p"],
      ["resume", 5],
      ["yield", "q"],
      ["resume", undefined],
      ["throw-in"],
      ["handled", "rejected"],
      ["raise", "err"],
      ["unwind", 1, "err", true],
    ]);
    uninstallTracer(TOOL_IDS.DEBUGGER);
    expect(probes.onCall || probes.onLine).toBe(false);
  });

  it("ignore exits of frames entered while dormant", () => {
    const onReturn = vi.fn();
    installTracer(TOOL_IDS.DEBUGGER, "test", { onReturn });
    probes.exit(table, 1); // the frame slot holds the file table when nobody listened at entry
    expect(onReturn).not.toHaveBeenCalled();
  });

  it("name an unwinding frame's exception only when it raised it or its callee unwound with it", () => {
    const log: unknown[] = [];
    installTracer(TOOL_IDS.DEBUGGER, "test", {
      onUnwind: (frame, exception, known) => log.push([frame.fn, exception, known]),
      onRaise: () => {},
      onHandled: () => {},
    });
    clearPendingException();
    const outer = probes.enter(table, 1);
    // a callee raises and unwinds; uninstrumented code (a Promise executor's caller) swallows it
    const executor = probes.enter(table, 1);
    probes.raise(executor, "executor error", UNWINDING);
    probes.exit(executor, UNWINDING);
    // a sibling fails natively (no raise): its exception is not the swallowed one
    const sibling = probes.enter(table, 1);
    probes.exit(sibling, UNWINDING);
    // a raise whose frame's finally then returns: a return, not an unwind
    const finallyReturns = probes.enter(table, 1);
    probes.raise(finallyReturns, "overridden", UNWINDING);
    probes.exit(finallyReturns, 3);
    // a chain: raised two levels down, carried up through the caller
    const caller = probes.enter(table, 1);
    const callee = probes.enter(table, 1);
    probes.raise(callee, "deep", UNWINDING);
    probes.exit(callee, UNWINDING);
    probes.exit(caller, UNWINDING);
    probes.exit(outer, 0);
    expect(log).toEqual([
      [1, "executor error", true],
      [1, undefined, false],
      [1, "deep", true],
      [1, "deep", true],
    ]);
  });

  it("report a generator resumed at a yield and closed from outside as CLOSED, not as an exception", () => {
    const log: unknown[] = [];
    installTracer(TOOL_IDS.DEBUGGER, "test", {
      onReturn: (_frame, value) => log.push(["return", value]),
      onUnwind: (_frame, exception, known) => log.push(["unwind", exception, known]),
    });
    clearPendingException();
    const generator = probes.enter(table, 1);
    probes.suspend(generator, 1, 1); // at a yield
    probes.line(generator, 0); // its finally runs after .return()
    probes.exit(generator, UNWINDING);
    const asyncFn = probes.enter(table, 1);
    probes.suspend(asyncFn, "promise"); // at an await
    probes.exit(asyncFn, UNWINDING); // the awaited promise rejected
    expect(log).toEqual([["return", CLOSED], ["unwind", undefined, false]]);
  });

  it("give field initialisers frames of their own, unwound when an exception leaves them", () => {
    const log: unknown[] = [];
    installTracer(TOOL_IDS.DEBUGGER, "test", {
      onStart: (frame) => log.push(["start", frame.fn]),
      onReturn: (frame, value) => log.push(["return", frame.fn, value]),
      onUnwind: (frame, exception, known) => log.push(["unwind", frame.fn, exception, known]),
      onRaise: () => {},
      onHandled: () => {},
    });
    clearPendingException();
    const module = probes.enter(table, 0);
    probes.enterField(table, 1);
    probes.exitField(42);
    probes.enterField(table, 1);
    const thrower = probes.enter(table, 1);
    probes.raise(thrower, "bad field", UNWINDING);
    probes.exit(thrower, UNWINDING);
    probes.handled(module, "bad field"); // caught around `new`: the field frame unwound too
    probes.exit(module, undefined);
    expect(log).toEqual([
      ["start", 0], ["start", 1], ["return", 1, 42], ["start", 1], ["start", 1],
      ["unwind", 1, "bad field", true], ["unwind", 1, "bad field", true], ["return", 0, undefined],
    ]);
  });

  it("keep a tool whose callback overflows the stack, losing only that event", () => {
    const report = vi.fn();
    setDiagnosticSink(report);
    let calls = 0;
    installTracer(TOOL_IDS.DEBUGGER, "test", {
      onLine: () => {
        calls++;
        if (calls === 1) throw new RangeError("Maximum call stack size exceeded");
      },
    });
    probes.line(table, 0);
    probes.line(table, 0);
    expect(calls).toBe(2);
    expect(report).not.toHaveBeenCalled();
    expect(isStackOverflow(new RangeError("Maximum call stack size exceeded"))).toBe(true);
    expect(isStackOverflow(new RangeError("Invalid array length"))).toBe(false);
  });
});
