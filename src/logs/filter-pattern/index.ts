export type { FilterPattern } from "./ast.js";
export { matchesEvent } from "./match.js";
export { FilterPatternError, parseFilterPattern } from "./parse.js";
export { describeEvent, type EventClass, readFilterPattern, watchesClass } from "./watches.js";
