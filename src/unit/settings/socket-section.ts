// The [Socket] settings table (systemd.socket(5), load-fragment-gperf.gperf.in "Socket.*").
import type { ListenSpec } from '../model.js';
import { BIND_IPV6_ONLY } from '../model.js';
import { LISTEN_SETTING, parseSocketAddress } from '../values/listen-address.js';
import { parseUnitName } from '../unit-name.js';
import type { SettingRow, ValueParser } from './define-settings.js';
import { defineSettings, list, scalar } from './define-settings.js';
import { execSettingRows } from './exec-settings.js';
import { killSettingRows } from './kill-settings.js';
import { execLine } from './service-section.js';
import { UNSUPPORTED_SOCKET_KEYS, unsupportedRows } from './unsupported.js';
import { bool, oneOf, simplifyPath, time, umask, unset, unsigned } from './value-parsers.js';

/** config_parse_socket_listen(): one address per line; an empty value drops every Listen*= line so far. */
const listenRow: SettingRow = {
  specifiers: true,
  apply(draft, value, ctx) {
    draft.explicit.add(ctx.key);
    if (value.trim() === '') {
      draft.socket.listen = [];
      return;
    }
    const spec = listenSpec(value.trim(), ctx);
    if (spec !== undefined) draft.socket.listen = [...draft.socket.listen, spec];
  },
};

const listenSpec: ValueParser<ListenSpec> = (value, ctx) => {
  const type = LISTEN_SETTING[ctx.key] ?? 'Stream';
  if (type === 'FIFO') {
    if (!value.startsWith('/')) {
      ctx.warn(`${ctx.key}= path is not absolute, ignoring: ${value}`);
      return undefined;
    }
    return { type, address: { family: 'fifo', path: simplifyPath(value) } };
  }
  const parsed = parseSocketAddress(value);
  if (!parsed.ok) {
    ctx.warn(`Failed to parse address value in '${value}', ignoring: ${parsed.reason}`);
    return undefined;
  }
  // Sequential packets exist for unix sockets only (socket_address_verify()).
  if (type === 'SequentialPacket' && parsed.address.family !== 'unix') {
    ctx.warn(`Address family not supported, ignoring: ${value}`);
    return undefined;
  }
  const address = parsed.address.family === 'unix' && parsed.address.path.startsWith('/') ? { family: 'unix' as const, path: simplifyPath(parsed.address.path) } : parsed.address;
  return { type, address };
};

/** Service=: a service unit name, not a template (config_parse_socket_service). */
const serviceName: ValueParser<string> = (value, ctx) => {
  const parsed = parseUnitName(value);
  if (parsed === undefined || parsed.suffix !== 'service') {
    ctx.warn(`Unit must be of type service, ignoring: ${value}`);
    return undefined;
  }
  if (parsed.template) {
    ctx.warn(`Failed to load unit ${value}, ignoring: Invalid argument`);
    return undefined;
  }
  return value;
};

/** fdname_is_valid(): printable ASCII without ":", at most 255 characters. */
const fdName: ValueParser<string> = (value, ctx) => {
  if (value.length > 255 || !/^[\x20-\x39\x3b-\x7e]*$/.test(value)) {
    ctx.warn(`Invalid file descriptor name, ignoring: ${value}`);
    return undefined;
  }
  return value;
};

export const socketSettings = defineSettings('Socket', {
  ...Object.fromEntries(Object.keys(LISTEN_SETTING).map((key) => [key, listenRow])),
  Accept: scalar('socket', 'accept', bool),
  Service: scalar('socket', 'service', serviceName, { specifiers: true }),
  SocketMode: scalar('socket', 'socketMode', umask),
  DirectoryMode: scalar('socket', 'directoryMode', umask),
  SocketUser: scalar('socket', 'socketUser', (v) => v, { specifiers: true, ...unset }),
  SocketGroup: scalar('socket', 'socketGroup', (v) => v, { specifiers: true, ...unset }),
  Backlog: scalar('socket', 'backlog', unsigned),
  ReusePort: scalar('socket', 'reusePort', bool),
  BindIPv6Only: scalar('socket', 'bindIPv6Only', oneOf(BIND_IPV6_ONLY, 'bind IPv6 only value')),
  NoDelay: scalar('socket', 'noDelay', bool),
  KeepAlive: scalar('socket', 'keepAlive', bool),
  MaxConnections: scalar('socket', 'maxConnections', unsigned),
  RemoveOnStop: scalar('socket', 'removeOnStop', bool),
  FileDescriptorName: scalar('socket', 'fileDescriptorName', fdName, { specifiers: true, ...unset }),
  TimeoutSec: scalar('socket', 'timeoutUsec', time({ what: 'sec value', zeroIsInfinity: true })),
  TriggerLimitIntervalSec: scalar('socket', 'triggerLimitIntervalUsec', time({ what: 'sec value' })),
  TriggerLimitBurst: scalar('socket', 'triggerLimitBurst', unsigned),
  ExecStartPre: list('socket', 'execStartPre', execLine),
  ExecStartPost: list('socket', 'execStartPost', execLine),
  ExecStopPre: list('socket', 'execStopPre', execLine),
  ExecStopPost: list('socket', 'execStopPost', execLine),
  ...execSettingRows,
  ...killSettingRows,
  ...unsupportedRows(UNSUPPORTED_SOCKET_KEYS),
});
