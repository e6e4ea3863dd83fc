import path from "node:path";
import picomatch from "picomatch";
import { isCtjsOwnFile } from "@ctjs/babel-plugin";

/**
 * include/exclude globs relative to the project root, exclude winning. A file outside the root
 * (a dependency hoisted to the workspace's node_modules, a sibling package) has a relative path
 * starting with `../`, which `**` never matches; such a file is also tested by its absolute path,
 * so `**\/node_modules/**` keeps excluding it and `**\/acorn/**` can include it. ctjs's own
 * packages are never selected: the recorder must not record itself.
 */
export function createFileSelector(root: string, include: readonly string[], exclude: readonly string[]): (filename: string) => boolean {
  const options = { dot: true };
  const included = include.length > 0 ? picomatch([...include], options) : () => true;
  const excluded = exclude.length > 0 ? picomatch([...exclude], options) : () => false;
  return (filename) => {
    if (isCtjsOwnFile(filename)) return false;
    const relative = path.relative(root, filename).split(path.sep).join("/");
    const absolute = filename.split(path.sep).join("/");
    const outside = relative.startsWith("../") || path.isAbsolute(relative);
    const matches = (glob: (p: string) => boolean) => glob(relative) || (outside && glob(absolute));
    return matches(included) && !matches(excluded);
  };
}
