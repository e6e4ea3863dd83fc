import { apply, getOwn, getProto, is, weakMapGet, weakMapSet } from "./builtin-kinds.js";

/** The class name of objects with prototype `proto`, from its own `constructor` data property. */
function prototypeClassName(proto: object): string {
  if (is.proxy(proto)) return "Object";
  const ctor = getOwn(proto, "constructor")?.value;
  if (typeof ctor === "function") {
    const name = getOwn(ctor, "name")?.value;
    if (typeof name === "string" && name !== "") return name;
  }
  return "Object";
}

interface Named {
  era: number;
  name: string;
}

/**
 * Class names remembered per prototype for one era: the encoding of one value, during which no
 * user code runs, so no prototype's `constructor` and no constructor's `name` can change. Reading
 * them costs two property descriptors, for every object; most objects of a value share a few
 * prototypes. `forget()` starts a new era: whatever the program did in between is read afresh.
 */
export class ClassNames {
  private readonly names = new WeakMap<object, Named>();
  private era = 0;

  forget(): void {
    this.era++;
  }

  of(object: object): string {
    const proto = getProto(object) as object | null;
    if (proto === null) return "Object (null prototype)";
    let named = apply(weakMapGet, this.names, [proto]) as Named | undefined;
    if (named !== undefined && named.era === this.era) return named.name;
    const name = prototypeClassName(proto);
    if (named === undefined) {
      named = { era: this.era, name };
      apply(weakMapSet, this.names, [proto, named]);
    } else {
      named.era = this.era;
      named.name = name;
    }
    return name;
  }
}
