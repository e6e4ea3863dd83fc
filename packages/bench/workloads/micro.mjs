// The micro-workloads: small subjects in ../subjects/ that isolate one kind of cost each
// (line steps, deep call stacks, call/return probes, async suspension, generator suspension, large
// values that change a little at every step).

/** A workload whose subject is one file of ../subjects/ and whose input is a constant. */
function micro(name, file, description, input, run) {
  return { name, kind: "micro", description, subject: { file: `subjects/${file}` }, makeInput: () => input, run };
}

export const microWorkloads = [
  micro("numeric-loop", "numeric-loop.mjs", "a `for` loop of 400,000 iterations, one arithmetic statement each", 400_000, ({ numericLoop }, iterations) => numericLoop(iterations)),
  micro("deep-recursion", "deep-recursion.mjs", "a recursion 2,000 frames deep, repeated 50 times", { depth: 2000, repeats: 50 }, ({ deepRecursion }, { depth, repeats }) => deepRecursion(depth, repeats)),
  micro("small-calls", "small-calls.mjs", "100,000 iterations of three nested one-line function calls", 100_000, ({ manySmallCalls }, iterations) => manySmallCalls(iterations)),
  micro("async-ping-pong", "async-ping-pong.mjs", "two async functions passing a counter through promise channels, 20,000 round trips", 20_000, ({ asyncPingPong }, rounds) => asyncPingPong(rounds)),
  micro("generator-pipeline", "generator-pipeline.mjs", "range → map → filter generator chain over 50,000 values", 50_000, ({ generatorPipeline }, count) => generatorPipeline(count)),
  micro("growing-values", "growing-values.mjs", "a loop growing a 10,000-element array and a 100-key object, one element and one key's total a step", 10_000, ({ growValues }, elements) => growValues(elements)),
];
