/** Expenses saved earlier, fetched from public/expenses.json. */

export async function loadSavedExpenses(url = "/expenses.json") {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const data = await response.json();
  return parseSavedExpenses(data);
}

/** Keeps the well-formed entries of the saved file. */
export function parseSavedExpenses(data) {
  const valid = [];
  for (const entry of data.expenses ?? []) {
    if (typeof entry.description !== "string" || typeof entry.amount !== "number") continue;
    valid.push({ description: entry.description, amount: entry.amount, category: entry.category ?? "fun" });
  }
  return valid;
}
