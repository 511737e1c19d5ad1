// Real clients for the socket-*.test.ts files: one request/reply over TCP or a unix socket, a temp socket directory.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
export { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export type Target = { readonly port: number; readonly host?: string } | { readonly path: string };

/** Connects, sends `text`, and resolves with everything received until the peer closes or `until` matches. */
export function request(target: Target, text: string, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host ?? '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => text !== '' && socket.write(text));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (until?.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

/** A fresh directory for socket files and FIFOs, removed after the test. */
export function socketDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-sock-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
