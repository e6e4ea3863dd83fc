// A seeded pseudo-random source, so that generated inputs are the same on every run and machine.
// A 32-bit linear congruential generator (Numerical Recipes constants) is plenty for test data.
export function seededRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return {
    next,
    int: (limit) => Math.floor(next() * limit),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}
