const { tokenize } = require("./tokenize");

function evaluate(tokens) {
  let total = 0;
  let sign = 1;
  for (const token of tokens) {
    if (token === "+") sign = 1;
    else if (token === "-") sign = -1;
    else total += sign * Number(token);
  }
  return total;
}

const expression = "12 + 30 - 2";
console.log(expression, "=", evaluate(tokenize(expression)));
