import * as t from "@babel/types";
import type { FunctionEntry, SiteEntry } from "@ctjs/monitoring";

/**
 * Collects the static description of one file while it is instrumented: variable names,
 * functions and line sites, each addressed by a small integer the probes pass at run time.
 */
export class SiteTableBuilder {
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly fns: FunctionEntry[] = [];
  private readonly sites: SiteEntry[] = [];

  /** `fullValues`: the table asks the runtime for every variable at every step of this file's frames. */
  constructor(
    readonly path: string,
    readonly fullValues = false,
  ) {}

  name(name: string): number {
    let index = this.nameIndex.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.nameIndex.set(name, index);
    }
    return index;
  }

  addFunction(name: string, line: number, column: number, params: string[], kind: number): number {
    this.fns.push([name, line, column, params.map((p) => this.name(p)), kind]);
    return this.fns.length - 1;
  }

  /**
   * A line site passing `variables` (the name "this" among them where `this` is passed), showing
   * the `kept` parameters (name, position) from the frame's entry, and passing after the
   * variables the values of the `privates` fields of `this` ("#count").
   */
  addSite(line: number, column: number, variables: string[], kept: ReadonlyArray<readonly [string, number]> = [], privates: readonly string[] = []): number {
    const names = variables.map((v) => this.name(v));
    const pairs = kept.flatMap(([name, position]) => [this.name(name), position]);
    if (privates.length > 0) this.sites.push([line, column, names, pairs.length > 0 ? pairs : 0, privates.map((p) => this.name(p))]);
    else this.sites.push(pairs.length > 0 ? [line, column, names, pairs] : [line, column, names]);
    return this.sites.length - 1;
  }

  get functionCount(): number {
    return this.fns.length;
  }

  get siteCount(): number {
    return this.sites.length;
  }

  /** The table as an object literal: `{ ctjs: 1, path, names, fns, sites }`, and `values: "full"` when asked. */
  toExpression(): t.ObjectExpression {
    const nums = (xs: readonly number[]) => t.arrayExpression(xs.map((x) => t.numericLiteral(x)));
    return t.objectExpression([
      t.objectProperty(t.identifier("ctjs"), t.numericLiteral(1)),
      t.objectProperty(t.identifier("path"), t.stringLiteral(this.path)),
      t.objectProperty(t.identifier("names"), t.arrayExpression(this.names.map((n) => t.stringLiteral(n)))),
      t.objectProperty(
        t.identifier("fns"),
        t.arrayExpression(
          this.fns.map(([name, line, column, params, kind]) =>
            t.arrayExpression([t.stringLiteral(name), t.numericLiteral(line), t.numericLiteral(column), nums(params), t.numericLiteral(kind)]),
          ),
        ),
      ),
      t.objectProperty(
        t.identifier("sites"),
        t.arrayExpression(this.sites.map(([line, column, vars, fromArgs, privates]) => t.arrayExpression([
          t.numericLiteral(line), t.numericLiteral(column), nums(vars),
          ...(fromArgs === undefined ? [] : [fromArgs === 0 ? t.numericLiteral(0) : nums(fromArgs)]),
          ...(privates === undefined ? [] : [nums(privates)]),
        ]))),
      ),
      ...(this.fullValues ? [t.objectProperty(t.identifier("values"), t.stringLiteral("full"))] : []),
    ]);
  }
}
