export { EVENTS, EVENT_COUNT, MAX_EVENTS, eventName, isEventId, type EventId, type EventName } from "./events.js";
export {
  ALL_EVENTS,
  NO_EVENTS,
  addEvent,
  eventSet,
  eventsIn,
  formatEventSet,
  hasEvent,
  isEventSet,
  removeEvent,
  type EventSet,
} from "./event-set.js";
export { TOOL_IDS, useToolId, getToolName } from "./tools.js";
export { registerCallback, setEvents, getEvents, freeToolId, describeTools } from "./registry.js";
export { probes, UNWINDING, CLOSED, clearPendingException, type Probes } from "./probes.js";
export { Frame, type FrameRef } from "./frame.js";
export { FUNCTION_KIND, isFileTable, type FileTable, type FunctionEntry, type SiteEntry } from "./site-table.js";
export { installTracer, uninstallTracer, type Tracer } from "./tracer.js";
export { setDiagnosticSink, MAX_TOOLS, PROBES_KEY, type ProbeFlags } from "./state.js";
export { isStackOverflow } from "./stack-overflow.js";
