// sd_notify(3) for Node services: send "READY=1", "STATUS=...", "WATCHDOG=1" ... to $NOTIFY_SOCKET
// from the calling process itself (so that NotifyAccess=main accepts it).
import { loadNative } from '../process/native.js';

/**
 * Sends a notification (newline-separated KEY=VALUE assignments). Returns false when the process is not
 * supervised ($NOTIFY_SOCKET unset), as sd_notify() returns 0 then; throws when sending fails.
 */
export function notify(message: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const socket = env['NOTIFY_SOCKET'];
  if (!socket) return false;
  loadNative().sendNotify(socket, message);
  return true;
}
