// Listen*= values of systemd.socket(5): parse as socket_address_parse() does, print as `Listen=` and list-sockets show them.
import type { ListenAddress, ListenSpec, ListenType } from '../model.js';

export type ListenParse = { readonly ok: true; readonly address: ListenAddress } | { readonly ok: false; readonly reason: 'Invalid argument' | 'Numerical result out of range' };

const invalid = { ok: false, reason: 'Invalid argument' } as const;

/** parse_ip_port(): 1..65535; digits only. */
function parsePort(text: string): number | 'range' | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const port = Number(text);
  if (port === 0) return undefined;
  return port > 65535 ? 'range' : port;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** inet_pton(AF_INET6) shape: hex groups, one "::" at most, an IPv4 tail allowed. */
function isIPv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.split('::').length > 2) return false;
  const groups = text.split(':');
  const last = groups.at(-1) ?? '';
  const v4Tail = last.includes('.');
  if (v4Tail && !IPV4.test(last)) return false;
  const hexGroups = (v4Tail ? groups.slice(0, -1) : groups).filter((g) => g !== '');
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (v4Tail ? 2 : 0);
  return text.includes('::') ? width < 8 : width === 8;
}

function withPort(family: 'inet' | 'inet6', host: string, portText: string): ListenParse {
  const port = parsePort(portText);
  if (port === 'range') return { ok: false, reason: 'Numerical result out of range' };
  return port === undefined ? invalid : { ok: true, address: { family, host, port } };
}

/** A socket address as socket_address_parse() reads it: "/path", "@abstract", "PORT", "IPv4:PORT", "[IPv6]:PORT". */
export function parseSocketAddress(text: string): ListenParse {
  if (text.startsWith('/') || text.startsWith('@')) {
    // sun_path holds 108 bytes; an abstract name does not need the trailing NUL.
    const limit = text.startsWith('@') ? 108 : 107;
    return Buffer.byteLength(text) > limit || text.length < 2 ? invalid : { ok: true, address: { family: 'unix', path: text } };
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return invalid;
    const host = text.slice(1, close);
    return isIPv6(host) ? withPort('inet6', host, text.slice(close + 2)) : invalid;
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return withPort('inet6', '::', text);
  const host = text.slice(0, colon);
  return IPV4.test(host) ? withPort('inet', host, text.slice(colon + 1)) : invalid;
}

/** socket_address_print(): how `Listen=`, `status` and list-sockets name an address. */
export function formatListenAddress(address: ListenAddress): string {
  switch (address.family) {
    case 'inet':
      return `${address.host}:${address.port}`;
    case 'inet6':
      return `[${address.host}]:${address.port}`;
    case 'unix':
    case 'fifo':
      return address.path;
  }
}

/** `Listen=` property and status's "Listen:" value: "127.0.0.1:80 (Stream)". */
export const formatListen = (spec: ListenSpec): string => `${formatListenAddress(spec.address)} (${spec.type})`;

/** The Listen*= setting that makes each type. */
export const LISTEN_SETTING: Readonly<Record<string, ListenType>> = {
  ListenStream: 'Stream',
  ListenDatagram: 'Datagram',
  ListenSequentialPacket: 'SequentialPacket',
  ListenFIFO: 'FIFO',
};
