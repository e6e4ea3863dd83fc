// Subject of the "many small calls" micro-workload: tiny functions that a JIT would inline, so the
// cost of a call and return probe is all there is to see.
const add = (a, b) => a + b;

function scale(x, factor) {
  return x * factor;
}

function clamp(x, low, high) {
  return x < low ? low : x > high ? high : x;
}

export function manySmallCalls(iterations) {
  let acc = 0;
  for (let i = 0; i < iterations; i++) {
    acc = clamp(add(scale(acc, 3), i) % 65536, 0, 60000);
  }
  return acc;
}
