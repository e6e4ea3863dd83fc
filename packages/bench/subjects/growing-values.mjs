// Subject of the "growing values" micro-workload (issue 10): a loop that grows a 10,000-element
// array and a 100-key object, so the variables in scope get large while each step changes only a
// little of them. Recording every visible value at every step writes both again and again;
// recording values only when they change writes each step's small difference.
export function growValues(elements) {
  const items = [];
  const totals = {};
  let sum = 0;
  for (let i = 0; i < elements; i++) {
    const value = (i * 7919) % 10007;
    items.push(value);
    const key = `key${i % 100}`;
    totals[key] = (totals[key] ?? 0) + value;
    sum = (sum + value) % 1000003;
  }
  let largest = "";
  for (const key in totals) {
    if (largest === "" || totals[key] > totals[largest]) largest = key;
  }
  return { length: items.length, keys: Object.keys(totals).length, sum, largest };
}
