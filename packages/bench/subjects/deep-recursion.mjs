// Subject of the "deep recursion" micro-workload: thousands of nested activations, each one call,
// one step and one return.
function depthSum(n) {
  if (n === 0) return 0;
  return n + depthSum(n - 1);
}

export function deepRecursion(depth, repeats) {
  let total = 0;
  for (let r = 0; r < repeats; r++) {
    total += depthSum(depth);
  }
  return total;
}
