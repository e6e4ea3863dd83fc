// Generators: each yield suspends the generator; each next() resumes it.
function* naturals(limit) {
  for (let n = 1; n <= limit; n++) {
    yield n;
  }
}

function* squares(source) {
  for (const n of source) {
    yield n * n;
  }
}

let total = 0;
for (const square of squares(naturals(5))) {
  total += square;
  console.log("square", square);
}
console.log("sum of squares:", total);
