import { endOfMonth, formatClock, formatTimeLeft, startTicker, timeLeft } from "./countdown.js";
import { addExpense, formatMoney, totalOf, totalsByCategory, validateExpense } from "./expenses.js";
import { setUpRecorderControls } from "./recorder-controls.js";
import { loadSavedExpenses } from "./saved-expenses.js";

const element = (id) => document.getElementById(id);

const state = { expenses: [] };
const form = element("expense-form");

function readForm(formElement) {
  const data = new FormData(formElement);
  return {
    description: String(data.get("description") ?? ""),
    amount: String(data.get("amount") ?? ""),
    category: String(data.get("category") ?? ""),
  };
}

function render() {
  const list = element("expense-list");
  list.replaceChildren(
    ...state.expenses.map((expense) => {
      const item = document.createElement("li");
      item.textContent = `${expense.description} (${expense.category})`;
      const amount = document.createElement("span");
      amount.textContent = formatMoney(expense.amount);
      item.append(amount);
      return item;
    }),
  );
  const total = totalOf(state.expenses);
  element("total").textContent = formatMoney(total);
  const byCategory = totalsByCategory(state.expenses);
  element("by-category").textContent = Object.entries(byCategory)
    .map(([category, amount]) => `${category}: ${formatMoney(amount)}`)
    .join(" · ");
}

function handleSubmit(event) {
  event.preventDefault();
  const input = readForm(form);
  const result = validateExpense(input);
  const errors = element("form-errors");
  if (!result.ok) {
    errors.textContent = result.errors.join(" ");
    return;
  }
  errors.textContent = "";
  state.expenses = addExpense(state.expenses, result.expense);
  console.info("added", result.expense.description, result.expense.amount);
  form.reset();
  render();
}

async function handleLoad() {
  const status = element("load-status");
  status.textContent = "Loading…";
  try {
    const saved = await loadSavedExpenses();
    state.expenses = [...saved, ...state.expenses];
    status.textContent = `Loaded ${saved.length} expenses`;
    render();
  } catch (error) {
    status.textContent = error.message;
    console.error("loading failed:", error);
  }
}

function tick(now) {
  element("clock").textContent = formatClock(now);
  element("countdown").textContent = formatTimeLeft(timeLeft(now, endOfMonth(now)));
}

form.addEventListener("submit", handleSubmit);
element("load").addEventListener("click", handleLoad);
setUpRecorderControls({ recordButton: element("record"), stopButton: element("stop"), status: element("recorder-status") });
startTicker(tick);
render();
