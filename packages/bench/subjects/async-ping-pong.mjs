// Subject of the "async ping-pong" micro-workload: two async functions hand a counter back and forth
// through promise channels, so every round trip suspends and resumes two activations.
function channel() {
  const waiting = [];
  const queued = [];
  return {
    send(value) {
      const receiver = waiting.shift();
      if (receiver) receiver(value);
      else queued.push(value);
    },
    receive() {
      if (queued.length > 0) return Promise.resolve(queued.shift());
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export async function asyncPingPong(rounds) {
  const toPong = channel();
  const toPing = channel();
  async function pinger() {
    let ball = 0;
    for (let i = 0; i < rounds; i++) {
      toPong.send(ball);
      ball = await toPing.receive();
    }
    return ball;
  }
  async function ponger() {
    for (let i = 0; i < rounds; i++) {
      const ball = await toPong.receive();
      toPing.send(ball + 1);
    }
  }
  const [result] = await Promise.all([pinger(), ponger()]);
  return result;
}
