// The seccomp settings (systemd.exec(5) "System Call Filtering"; systemd 252 load-fragment.c
// config_parse_syscall_filter, config_parse_syscall_errno, config_parse_address_families).
import { constants } from 'node:os';
import type { AddressFamilyFilter, SyscallFilter } from '../model.js';
import { SYSCALL_GROUPS } from '../values/syscall-groups.js';
import type { ParseContext, SettingRow } from './define-settings.js';
import { scalar } from './define-settings.js';
import { bool } from './value-parsers.js';

const ERRNO: Readonly<Record<string, number>> = constants.errno;
const ERRNO_MAX = 4095;

/** An errno name or number (errno_from_name, parse_errno); undefined if neither. */
export function parseErrno(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 0 && n <= ERRNO_MAX ? n : undefined;
  }
  return ERRNO[text];
}

/** The calls of `name` (a call, or an @group with its nested groups), each once. */
export function expandSyscalls(name: string, seen: Set<string> = new Set()): string[] {
  if (!name.startsWith('@')) return [name];
  if (seen.has(name)) return [];
  seen.add(name);
  return (SYSCALL_GROUPS[name] ?? '').split(' ').flatMap((member) => expandSyscalls(member, seen));
}

const SYSCALL_NAME = /^[a-z0-9_]+$/;

/**
 * seccomp_parse_syscall_filter(): a call is added when the line's sense matches the list's (an allow list
 * and a plain line, or a deny list and a "~" line), and removed otherwise.
 */
function applySyscallFilter(draft: { service: { exec: { syscallFilter: SyscallFilter | undefined } } }, value: string, ctx: ParseContext): void {
  const exec = draft.service.exec;
  if (value.trim() === '') {
    exec.syscallFilter = undefined;
    return;
  }
  const invert = value.startsWith('~');
  const words = (invert ? value.slice(1) : value).split(/\s+/).filter((w) => w !== '');
  // The first line decides: an allow list starts from @default, which a service always needs.
  const filter = exec.syscallFilter ?? { allowList: !invert, calls: new Map(invert ? [] : expandSyscalls('@default').map((c) => [c, undefined])) };
  const calls = new Map(filter.calls);
  const add = invert !== filter.allowList;
  for (const word of words) {
    const [name = '', errnoText] = word.split(':', 2);
    let errno: number | undefined;
    if (errnoText !== undefined) {
      errno = errnoText === 'kill' ? undefined : parseErrno(errnoText);
      if (errno === undefined && errnoText !== 'kill') {
        ctx.warn(`Failed to parse errno, ignoring: ${errnoText}`);
        continue;
      }
    }
    if (name.startsWith('@') && SYSCALL_GROUPS[name] === undefined) {
      ctx.warn(`Unknown system call group, ignoring: ${name}`);
      continue;
    }
    if (!name.startsWith('@') && !SYSCALL_NAME.test(name)) {
      ctx.warn(`Failed to parse system call, ignoring: ${name}`);
      continue;
    }
    for (const call of expandSyscalls(name)) {
      if (add) calls.set(call, errno);
      else calls.delete(call);
    }
  }
  exec.syscallFilter = { allowList: filter.allowList, calls };
}

/** Address family names as socket(2) takes them (linux/socket.h), AF_UNIX … AF_MCTP. */
const ADDRESS_FAMILIES: readonly string[] = [
  'AF_UNSPEC', 'AF_UNIX', 'AF_INET', 'AF_AX25', 'AF_IPX', 'AF_APPLETALK', 'AF_NETROM', 'AF_BRIDGE', 'AF_ATMPVC',
  'AF_X25', 'AF_INET6', 'AF_ROSE', 'AF_DECnet', 'AF_NETBEUI', 'AF_SECURITY', 'AF_KEY', 'AF_NETLINK', 'AF_PACKET',
  'AF_ASH', 'AF_ECONET', 'AF_ATMSVC', 'AF_RDS', 'AF_SNA', 'AF_IRDA', 'AF_PPPOX', 'AF_WANPIPE', 'AF_LLC', 'AF_IB',
  'AF_MPLS', 'AF_CAN', 'AF_TIPC', 'AF_BLUETOOTH', 'AF_IUCV', 'AF_RXRPC', 'AF_ISDN', 'AF_PHONET', 'AF_IEEE802154',
  'AF_CAIF', 'AF_ALG', 'AF_NFC', 'AF_VSOCK', 'AF_KCM', 'AF_QIPCRTR', 'AF_SMC', 'AF_XDP', 'AF_MCTP',
];

export const addressFamilyNumber = (name: string): number | undefined => {
  const n = ADDRESS_FAMILIES.indexOf(name === 'AF_LOCAL' ? 'AF_UNIX' : name);
  return n > 0 ? n : undefined;
};

/** config_parse_address_families(): "none" is an empty allow list; the first line decides allow or deny. */
function applyAddressFamilies(draft: { service: { exec: { addressFamilies: AddressFamilyFilter | undefined } } }, value: string, ctx: ParseContext): void {
  const exec = draft.service.exec;
  const text = value.trim();
  if (text === '') {
    exec.addressFamilies = undefined;
    return;
  }
  if (text === 'none') {
    exec.addressFamilies = { allowList: true, families: [] };
    return;
  }
  const invert = text.startsWith('~');
  const filter = exec.addressFamilies ?? { allowList: !invert, families: [] };
  const families = new Set(filter.families);
  const add = invert !== filter.allowList;
  for (const word of (invert ? text.slice(1) : text).split(/\s+/).filter((w) => w !== '')) {
    const af = addressFamilyNumber(word);
    if (af === undefined) {
      ctx.warn(`Failed to parse address family, ignoring: ${word}`);
      continue;
    }
    if (add) families.add(af);
    else families.delete(af);
  }
  exec.addressFamilies = { allowList: filter.allowList, families: [...families].sort((a, b) => a - b) };
}

/** SystemCallErrorNumber=: an errno, or "kill" (the default: SIGSYS). */
const syscallErrno = (value: string, ctx: ParseContext): number | 'kill' | undefined => {
  const text = value.trim();
  if (text === 'kill') return 'kill';
  const errno = parseErrno(text);
  if (errno === undefined) ctx.warn(`Failed to parse SystemCallErrorNumber=, ignoring: ${text}`);
  return errno;
};

export const seccompSettingRows: Record<string, SettingRow> = {
  SystemCallFilter: { specifiers: false, apply: (draft, value, ctx) => applySyscallFilter(draft, value, ctx) },
  SystemCallErrorNumber: scalar('exec', 'syscallErrorNumber', syscallErrno, { empty: { value: 'kill' } }),
  RestrictAddressFamilies: { specifiers: false, apply: (draft, value, ctx) => applyAddressFamilies(draft, value, ctx) },
  MemoryDenyWriteExecute: scalar('exec', 'memoryDenyWriteExecute', bool),
};
