// Subject of the "generator pipeline" micro-workload: values flow through a chain of generators,
// each value suspending and resuming every stage.
function* range(count) {
  for (let i = 0; i < count; i++) yield i;
}

function* map(source, transform) {
  for (const item of source) yield transform(item);
}

function* filter(source, keep) {
  for (const item of source) {
    if (keep(item)) yield item;
  }
}

export function generatorPipeline(count) {
  let sum = 0;
  const tripled = map(range(count), (x) => x * 3);
  for (const even of filter(tripled, (x) => x % 2 === 0)) {
    sum += even;
  }
  return sum;
}
