// One request to the daemon from a client verb, with systemctl's error text and exit code.
import { call, defaultSocketPath } from './client.js';
import type { Io, Options } from './command.js';
import { ERROR_EXIT_CODES, EXIT_FAILURE, EXIT_SUCCESS } from '../protocol/exit-codes.js';
import type { Reply, Request } from '../protocol/protocol.js';

export const socketOf = (options: Options): string => options.socket ?? defaultSocketPath();

/** Prints an error reply the way systemctl does and returns its exit code. */
export function replyError(io: Io, reply: Extract<Reply, { ok: false }>): number {
  io.err(reply.message);
  return ERROR_EXIT_CODES[reply.code] ?? EXIT_FAILURE;
}

export async function request<T>(options: Options, req: Request, io: Io): Promise<{ ok: true; result: T } | { ok: false; exitCode: number }> {
  const reply = await call(socketOf(options), req);
  if (!reply.ok) return { ok: false, exitCode: replyError(io, reply) };
  return { ok: true, result: reply.result as T };
}

/** A verb whose only answer is success or an error. */
export async function acknowledged(options: Options, req: Request, io: Io): Promise<number> {
  const res = await request<unknown>(options, req, io);
  return res.ok ? EXIT_SUCCESS : res.exitCode;
}

/** A verb that prints one formatted result. */
export async function printResult<T>(options: Options, req: Request, io: Io, format: (result: T) => string): Promise<number> {
  const res = await request<T>(options, req, io);
  if (!res.ok) return res.exitCode;
  io.out(format(res.result));
  return EXIT_SUCCESS;
}
