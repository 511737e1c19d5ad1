// sd_notify(3) datagrams: parse "KEY=VALUE" lines and enforce NotifyAccess= (systemd.service(5)) as service.c does.
import type { NotifyAccess } from '../unit/model.js';

/** A parsed datagram: assignments in the order sent (service.c reads the first of each key, and scans READY/RELOADING/STOPPING from the end). */
export interface NotifyMessage {
  readonly assignments: readonly (readonly [key: string, value: string])[];
}

/**
 * Newline-separated assignments; lines without "=" and empty lines are ignored (systemd splits
 * with strv_split_newlines and matches prefixes, so such lines never match anything).
 */
export function parseNotifyMessage(text: string): NotifyMessage {
  const assignments: [string, string][] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    assignments.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return { assignments };
}

/** strv_find_startswith(tags, "KEY="): the first value for key. */
export function notifyValue(message: NotifyMessage, key: string): string | undefined {
  return message.assignments.find(([k]) => k === key)?.[1];
}

/** READY=1 / RELOADING=1 / STOPPING=1: the last one in the datagram wins. */
export function notifyStateRequest(message: NotifyMessage): 'ready' | 'reloading' | 'stopping' | undefined {
  for (let i = message.assignments.length - 1; i >= 0; i--) {
    const [key, value] = message.assignments[i]!;
    if (value !== '1') continue;
    if (key === 'READY') return 'ready';
    if (key === 'RELOADING') return 'reloading';
    if (key === 'STOPPING') return 'stopping';
  }
  return undefined;
}

export type NotifyAuthorization = { readonly ok: true } | { readonly ok: false; readonly warning: string };

/**
 * service_notify_message_authorized(). The caller routes a datagram to the unit whose process
 * sent it, so "all" accepts whatever arrives here; the others check the sender against the
 * main and control PIDs. Texts are systemd's warnings.
 */
export function authorizeNotify(
  access: NotifyAccess,
  senderPid: number,
  mainPid: number | undefined,
  controlPid: number | undefined,
): NotifyAuthorization {
  const from = `Got notification message from PID ${senderPid}`;
  switch (access) {
    case 'none':
      return { ok: false, warning: `${from}, but reception is disabled.` };
    case 'all':
      return { ok: true };
    case 'main':
      if (senderPid === mainPid) return { ok: true };
      return {
        ok: false,
        warning:
          mainPid !== undefined
            ? `${from}, but reception only permitted for main PID ${mainPid}`
            : `${from}, but reception only permitted for main PID which is currently not known`,
      };
    case 'exec':
      if (senderPid === mainPid || senderPid === controlPid) return { ok: true };
      return { ok: false, warning: `${from}, but reception only permitted for ${execPermitted(mainPid, controlPid)}` };
  }
}

function execPermitted(mainPid: number | undefined, controlPid: number | undefined): string {
  if (mainPid !== undefined && controlPid !== undefined) return `main PID ${mainPid} and control PID ${controlPid}`;
  if (mainPid !== undefined) return `main PID ${mainPid}`;
  if (controlPid !== undefined) return `control PID ${controlPid}`;
  return 'main PID and control PID which are currently not known';
}
