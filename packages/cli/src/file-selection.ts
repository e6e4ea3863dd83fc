import { lstatSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { DEFAULT_EXCLUDE, fileSelector, isCtjsOwnFile } from "@ctjs/babel-plugin";

export interface Selection {
  cwd: string;
  include: string[];
  exclude: string[];
}

/**
 * Which files `ctjs record` instruments: by default every JS/TS file under the cwd except
 * node_modules; each --include glob adds files (a package in node_modules, a folder outside the
 * cwd), each --exclude glob removes them and wins over everything. ctjs itself is never selected.
 *
 * Node hands the hooks real paths, while globs name paths as the user sees them: pnpm's
 * `node_modules/acorn` is a symlink into `node_modules/.pnpm/...`. So a file under a symlinked
 * directory that a glob starts from is matched under its linked name as well.
 */
export function createSelector(selection: Selection): (file: string) => boolean {
  const { cwd, include, exclude } = selection;
  const byDefault = fileSelector(cwd, ["**"], DEFAULT_EXCLUDE);
  const included = include.length > 0 ? fileSelector(cwd, include, []) : () => false;
  const excluded = exclude.length > 0 ? fileSelector(cwd, exclude, []) : () => false;
  const links = symlinkedDirectories(cwd, [...include, ...exclude]);
  return (file: string) => {
    if (isCtjsOwnFile(file)) return false;
    const names = [file, ...linkedNames(file, links)];
    if (names.some(excluded)) return false;
    return (isInside(cwd, file) && byDefault(file)) || names.some(included);
  };
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** A directory reached through a symlink: its real path, and the path the user names it by. */
interface LinkedDirectory {
  real: string;
  linked: string;
}

function linkedNames(file: string, links: LinkedDirectory[]): string[] {
  return links.filter((l) => file.startsWith(l.real + path.sep)).map((l) => l.linked + file.slice(l.real.length));
}

/** The literal leading folders of a glob: `node_modules/@scope/pkg/**` → `node_modules/@scope/pkg`. */
function globBase(glob: string): string {
  const segments = glob.split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}

/**
 * Symlinked directories the globs can reach: each glob's base when it is (or lies under) a link,
 * and the linked entries directly inside the base (the packages of a `node_modules/**`).
 */
function symlinkedDirectories(cwd: string, globs: string[]): LinkedDirectory[] {
  const links = new Map<string, string>();
  const add = (linked: string) => {
    try {
      const real = realpathSync(linked);
      if (real !== linked && lstatSync(real).isDirectory()) links.set(real, linked);
    } catch {
      // a dangling link or a base that does not exist: nothing to match through it
    }
  };
  for (const base of new Set(globs.map((g) => path.resolve(cwd, globBase(g))))) {
    add(base);
    for (const entry of entriesOf(base)) {
      const full = path.join(base, entry.name);
      if (entry.isSymbolicLink()) add(full);
      // scoped packages: node_modules/@scope/<links>
      else if (entry.isDirectory() && entry.name.startsWith("@")) for (const scoped of entriesOf(full)) if (scoped.isSymbolicLink()) add(path.join(full, scoped.name));
    }
  }
  return [...links].map(([real, linked]) => ({ real, linked }));
}

function entriesOf(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
