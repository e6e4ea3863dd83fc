import { MAX_TOOLS, state } from "./state.js";

/** Well-known tool ids, as in sys.monitoring; the other ids below MAX_TOOLS are free. */
export const TOOL_IDS = Object.freeze({
  DEBUGGER: 0,
  COVERAGE: 1,
  PROFILER: 2,
  OPTIMIZER: 5,
} as const);

export function checkToolId(tool: unknown): asserts tool is number {
  if (typeof tool !== "number" || !Number.isInteger(tool) || tool < 0 || tool >= MAX_TOOLS) {
    throw new RangeError(`invalid tool id ${String(tool)} (expected an integer 0..${MAX_TOOLS - 1})`);
  }
}

function checkInUse(tool: number): void {
  if (state.toolNames[tool] === undefined) throw new Error(`tool ${tool} is not in use`);
}

/** Claims a tool id for `name`; fails if another tool holds it. */
export function useToolId(tool: number, name: string): void {
  checkToolId(tool);
  if (typeof name !== "string" || name === "") throw new TypeError(`tool name must be a non-empty string`);
  const holder = state.toolNames[tool];
  if (holder !== undefined) throw new Error(`tool id ${tool} is already in use by ${JSON.stringify(holder)}`);
  state.toolNames[tool] = name;
  state.failedTools.delete(tool);
}

/** Clears a tool id's name, events and callbacks (registry.freeToolId also refreshes the listeners). */
export function releaseToolId(tool: number): void {
  checkToolId(tool);
  state.toolNames[tool] = undefined;
  state.toolEvents[tool] = 0;
  state.callbacks[tool]!.fill(undefined);
  state.failedTools.delete(tool);
}

/** The name a tool id was claimed with, or undefined. */
export function getToolName(tool: number): string | undefined {
  checkToolId(tool);
  return state.toolNames[tool];
}

export { checkInUse as assertToolInUse };
