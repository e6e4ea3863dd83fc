// Async work: awaits suspend a function, timers and promises resume it later.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchUser(id) {
  await sleep(5);
  return { id, name: `user${id}` };
}

async function main() {
  const first = await fetchUser(1);
  console.log("got", first.name);
  const rest = await Promise.all([fetchUser(2), fetchUser(3)]);
  console.log("got", rest.map((u) => u.name).join(", "));
  setTimeout(() => console.log("timer fired after main returned"), 1);
  return rest.length + 1;
}

main().then((count) => console.log("users:", count));
