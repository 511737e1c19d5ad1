// A tiny HTTP server that reports ready to the supervisor once it listens.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { notify } from '../lib/sd-notify.mjs';

const port = Number(process.env.PORT ?? 8080);
const schema = JSON.parse(readFileSync(`${process.env.DATA_DIR ?? 'data'}/schema.json`, 'utf8'));
let hits = 0;
const server = createServer((req, res) => {
  hits++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url, hits, schema: schema.version }));
});
// HOST=0.0.0.0 in a container (docker/example), so that a published port reaches it.
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port}`);
  notify(`READY=1\nSTATUS=Serving on port ${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
