import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import type { ProbeNames } from "./probe-code.js";

/**
 * Picks the generated identifiers of one file so that they collide with no name the file uses.
 * In scripts, top-level `var`s are globals shared with other scripts, so their names also carry a
 * hash of the file name and its code: scripts without a name of their own stay apart too.
 */
export function chooseProbeNames(program: NodePath<t.Program>, filename: string, code: string): ProbeNames {
  const suffix = program.node.sourceType === "module" ? "" : `_${shortHash(`${filename}\0${code}`)}`;
  const uid = (base: string) => program.scope.generateUid(`${base}${suffix}`);
  return {
    probes: uid("ct"),
    table: uid("ctF"),
    init: uid("ctI"),
    early: uid("ctP"),
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
