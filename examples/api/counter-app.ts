// The application under test: a page-view counter that keeps its numbers in the key-value store.
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';

export interface Counter {
  /** Counts one view of `page`; resolves with the new total. */
  view(page: string): Promise<number>;
  /** The number of views of `page` (0 if it was never viewed). */
  views(page: string): Promise<number>;
  close(): void;
}

/** Connects to the key-value store listening on 127.0.0.1:`port`. */
export async function connectCounter(port: number): Promise<Counter> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies = createInterface({ input: socket })[Symbol.asyncIterator]();
  const ask = async (command: string): Promise<string> => {
    socket.write(`${command}\n`);
    const reply = await replies.next();
    if (reply.done === true) throw new Error('the store closed the connection');
    if (reply.value.startsWith('ERR')) throw new Error(reply.value);
    return reply.value;
  };
  const number = (reply: string) => (reply === 'NIL' ? 0 : Number(reply.slice('VALUE '.length)));
  return {
    view: async (page) => number(await ask(`INCR views:${page}`)),
    views: async (page) => number(await ask(`GET views:${page}`)),
    close: () => socket.end(),
  };
}
