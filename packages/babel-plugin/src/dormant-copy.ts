import * as t from "@babel/types";
import { containsNode } from "./ast-search.js";

/**
 * Dormant copies. A small hot function pays for its probes even while nothing records: its
 * frame variables and its try/finally (the flag tests fold away in optimised code, see
 * probes-binding.ts, but a try/finally makes a small inlined function 1.5x slower). A leaf function (one that
 * creates no closure) can instead carry its original body as well, run whenever no tool
 * listens at entry: `if (!probes.active) { <original body>; return; }` before the instrumented
 * one. Functions that create closures keep one body only, so that every function object the
 * program creates is instrumented and can be recorded once recording starts.
 */

/**
 * Whether a function gets a dormant copy: not async, not a generator, creating no closure, and
 * with all of its body's code on one line (`(a, b) => a + b`, or `get x() {⏎ return this._x;⏎ }`).
 * Generated code keeps each statement on its original line (retainLines), so that stack traces
 * name the lines the developer wrote; code spread over several lines cannot sit on its lines
 * twice, and whichever copy came second would report every error on the body's last line.
 */
export function wantsDormantCopy(fn: t.Function): boolean {
  if (fn.async || fn.generator) return false;
  if (!bodyOnOneLine(fn)) return false;
  return !containsNode(fn.body, (node) => t.isFunction(node) || t.isClass(node));
}

function bodyOnOneLine(fn: t.Function): boolean {
  const body = fn.body;
  if (!t.isBlockStatement(body)) return body.loc != null && body.loc.start.line === body.loc.end.line;
  if (body.body.length === 0) return fn.loc != null && fn.loc.start.line === fn.loc.end.line;
  const first = body.body[0]!.loc;
  const last = body.body[body.body.length - 1]!.loc;
  return first != null && last != null && first.start.line === last.end.line;
}

/** The statements of the copy: the original body cloned (positions kept), never falling through. */
export function dormantStatements(fn: t.Function): t.Statement[] {
  const body = fn.body;
  if (!t.isBlockStatement(body)) return [t.returnStatement(t.cloneNode(body, true, false))];
  const statements = body.body.map((s) => t.cloneNode(s, true, false));
  // falling off the end of the copy must not run the instrumented body after it
  statements.push(t.returnStatement(null));
  return statements;
}
