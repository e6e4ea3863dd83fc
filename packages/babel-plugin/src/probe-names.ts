import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import type { ProbeNames } from "./probe-code.js";

/**
 * Picks the generated identifiers of one file so that they collide with no name the file uses.
 */
export function chooseProbeNames(unique: UniqueName): ProbeNames {
  return {
    probes: unique("ct"),
    table: unique("ctF"),
    init: unique("ctI"),
    early: unique("ctP"),
    fieldValue: unique("ctv"),
    local: unique("c"),
    frame: unique("ctf"),
    result: unique("ctr"),
    temp: unique("ctt"),
  };
}

/** Makes a new identifier from `base` at each call, never one the file uses or an earlier call made. */
export type UniqueName = (base: string) => string;

/**
 * The maker of one file's generated identifiers. In scripts, top-level `var`s are globals shared
 * with other scripts, so their names also carry a hash of the file name and its code: scripts
 * without a name of their own stay apart too.
 */
export function uniqueNames(program: NodePath<t.Program>, filename: string, code: string): UniqueName {
  const suffix = program.node.sourceType === "module" ? "" : `_${shortHash(`${filename}\0${code}`)}`;
  return (base) => program.scope.generateUid(`${base}${suffix}`);
}

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
