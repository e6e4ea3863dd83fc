export function summarize(values) {
  const sum = values.reduce((a, b) => a + b, 0);
  const mean = sum / values.length;
  return { count: values.length, mean: Math.round(mean * 100) / 100, max: Math.max(...values) };
}
