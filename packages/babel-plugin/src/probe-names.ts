import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import type { ProbeNames } from "./probe-code.js";

/**
 * Picks the generated identifiers of one file so that they collide with no name the file uses.
 * In scripts, top-level `var`s are globals shared with other scripts, so their names also carry a
 * hash of the file name.
 */
export function chooseProbeNames(program: NodePath<t.Program>, filename: string): ProbeNames {
  const suffix = program.node.sourceType === "module" ? "" : `_${shortHash(filename)}`;
  const uid = (base: string) => program.scope.generateUid(`${base}${suffix}`);
  return {
    probes: uid("ct"),
    table: uid("ctF"),
    init: uid("ctI"),
    fieldValue: uid("ctv"),
    local: uid("c"),
    frame: uid("ctf"),
    result: uid("ctr"),
    temp: uid("ctt"),
  };
}

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
