// @ts-check
// Send a MESH message from one mailbox to another, poll the recipient's inbox, download and acknowledge.
// Usage: node mesh-send-and-poll.mjs [gpsim base URL, default http://127.0.0.1:4100]
import { GpsimControl, MeshClient } from '@gpsim/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4100';
const sim = new GpsimControl({ baseUrl });
const manifest = await sim.fixtures();
const mailbox = (partner) => {
  const found = manifest.mailboxes.find((candidate) => candidate.partner === partner);
  if (!found) throw new Error(`No MESH mailbox for ${partner}`);
  return found;
};
// MESH tokens carry the time: mint them on gpsim's clock.
const offset = Date.parse((await sim.clock()).now) - Date.now();
const client = (box) =>
  new MeshClient({
    baseUrl: manifest.mesh.baseUrl,
    mailboxId: box.id,
    password: box.password,
    sharedSecret: manifest.mesh.sharedSecret,
    clock: () => Date.now() + offset,
  });
const sender = client(mailbox('gpsim-demo'));
const recipient = client(mailbox('gpsim-pharmacy'));

await sender.handshake();
const { message_id: messageId } = await sender.send({
  to: mailbox('gpsim-pharmacy').id,
  workflowId: 'GPSIM_TEST',
  content: 'Hello from the gpsim example',
  subject: 'example',
});

let received;
for (let poll = 0; poll < 10 && !received; poll++) {
  for await (const id of recipient.inbox()) if (id === messageId) received = id;
  if (!received) await new Promise((resolve) => setTimeout(resolve, 200));
}
if (!received) throw new Error(`${messageId} never arrived`);
const message = await recipient.download(received);
const text = await new Response(message.body).text();
await recipient.acknowledge(received);
const tracking = await sender.tracking(messageId);
console.log(JSON.stringify({ text, status: tracking.status }));
