import * as t from "@babel/types";

/** Parameter leaves by name, in order: defaults, rest and destructuring give their bound names. */
export function parameterNames(params: t.Function["params"]): string[] {
  const names: string[] = [];
  for (const param of params) {
    const target = t.isTSParameterProperty(param) ? param.parameter : param;
    for (const name of Object.keys(t.getBindingIdentifiers(target as t.Node))) {
      if (name !== "this") names.push(name);
    }
  }
  return names;
}
