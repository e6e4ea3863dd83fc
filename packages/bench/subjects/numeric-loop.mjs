// Subject of the "numeric loop" micro-workload: one arithmetic statement per iteration, so nearly
// all the work is loop steps and the value of two numbers at each of them.
export function numericLoop(iterations) {
  let sum = 0;
  for (let i = 0; i < iterations; i++) {
    sum = (sum + i * i) % 1000003;
  }
  return sum;
}
