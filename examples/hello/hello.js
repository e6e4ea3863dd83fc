// The smallest program worth recording: a function, a loop, some output.
function greet(name, punctuation = "!") {
  const message = `Hello, ${name}${punctuation}`;
  return message;
}

const names = ["Ada", "Grace", "Linus"];
for (const name of names) {
  console.log(greet(name));
}
