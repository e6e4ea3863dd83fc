// Recursion: every call and return is in the trace, with its argument and result.
function fib(n) {
  if (n < 2) {
    return n;
  }
  return fib(n - 1) + fib(n - 2);
}

function factorial(n) {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

console.log("fib(10) =", fib(10));
console.log("10! =", factorial(10));
