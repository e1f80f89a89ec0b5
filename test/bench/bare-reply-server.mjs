// The ceiling a delayed gpsim is compared with: a bare node:http server, in its own process as gpsim
// is, that answers every request with the bytes it was given, after a setTimeout when a delay is set.
// The parent (test/bench/faults.mjs) forks it with the port, sends {reply: {status, headers, body}}
// and then {delayMs} between rounds; every message is acknowledged once it applies.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
let reply;
let delayMs = 0;

const server = createServer((request, response) => {
  request.resume();
  const answer = () => {
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
});
// As gpsim's listeners: a deep accept queue and the same keep-alive timeout (simulator/src/main.ts).
server.keepAliveTimeout = 5_000;

process.on('message', (message) => {
  if (message.reply) {
    reply = { ...message.reply, body: Buffer.from(message.reply.body, 'base64') };
    server.listen({ port, host: '127.0.0.1', backlog: 65_535 }, () => process.send('ok'));
    return;
  }
  delayMs = message.delayMs;
  process.send('ok');
});
