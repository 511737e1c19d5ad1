// A tiny database-like process: a key-value store over TCP, one command per line:
//   SET key value → OK      GET key → VALUE value | NIL      INCR key → VALUE n      DEL key → OK
// It tells its supervisor when it accepts connections (Type=notify: READY=1) and on which port
// (STATUS=, shown by `unitvisor status` and readable as the StatusText property).
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { notify } from '../lib/sd-notify.mjs';

const data = new Map();
const commands = {
  SET: ([key, ...value]) => (data.set(key, value.join(' ')), 'OK'),
  GET: ([key]) => (data.has(key) ? `VALUE ${data.get(key)}` : 'NIL'),
  INCR: ([key]) => {
    const next = Number(data.get(key) ?? 0) + 1;
    data.set(key, String(next));
    return `VALUE ${next}`;
  },
  DEL: ([key]) => (data.delete(key), 'OK'),
};

const clients = new Set();
const server = createServer((socket) => {
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  createInterface({ input: socket }).on('line', (line) => {
    const [command = '', ...args] = line.trim().split(/\s+/);
    const run = commands[command.toUpperCase()];
    socket.write(`${run ? run(args) : `ERR unknown command ${command}`}\n`);
  });
  socket.on('error', () => socket.destroy());
});

// KV_PORT=0 (the default) lets the kernel pick a free port: tests read it from STATUS=.
server.listen(Number(process.env.KV_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`kv: listening on 127.0.0.1:${port}`);
  notify(`READY=1\nSTATUS=listening on 127.0.0.1:${port}`);
});

// systemd stops a service with SIGTERM: say so (STOPPING=1), finish, exit 0.
process.on('SIGTERM', () => {
  notify('STOPPING=1');
  console.log(`kv: stopping with ${data.size} keys`);
  server.close(() => process.exit(0));
  // close() waits for open connections: end them, as a database does on shutdown.
  for (const socket of clients) socket.destroy();
});
