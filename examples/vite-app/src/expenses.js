/** The expense list's rules: validation of what the form gives, and the totals shown. */

export const CATEGORIES = ["food", "travel", "bills", "fun"];

/** "12.5", "12,50" or "7" → a number of at most two decimals; anything else → undefined. */
export function parseAmount(text) {
  const normalized = String(text).trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return undefined;
  return Number(normalized);
}

/** Checks the form's fields; returns the expense to add, or the problems to show. */
export function validateExpense(input) {
  const errors = [];
  const description = input.description.trim();
  if (description.length === 0) errors.push("Enter a description.");
  const amount = parseAmount(input.amount);
  if (amount === undefined) errors.push("Enter an amount like 12.50.");
  else if (amount <= 0) errors.push("The amount must be more than zero.");
  if (!CATEGORIES.includes(input.category)) errors.push(`Unknown category "${input.category}".`);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, expense: { description, amount, category: input.category } };
}

export function addExpense(expenses, expense) {
  return [...expenses, expense];
}

/** Sums in cents, so 0.1 + 0.2 shows as 0.30. */
export function totalOf(expenses) {
  let cents = 0;
  for (const expense of expenses) cents += Math.round(expense.amount * 100);
  return cents / 100;
}

export function totalsByCategory(expenses) {
  const totals = {};
  for (const { category, amount } of expenses) {
    totals[category] = Math.round(((totals[category] ?? 0) + amount) * 100) / 100;
  }
  return totals;
}

export function formatMoney(amount) {
  return amount.toFixed(2);
}
