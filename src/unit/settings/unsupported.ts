// Keys systemd 252 knows but unitvisor cannot honour: each loads with one clear warning, never silently (systemd.resource-control(5), systemd.exec(5)).
import type { SettingRow } from './define-settings.js';

interface UnsupportedGroup {
  /** Why unitvisor cannot honour the keys; printed in the warning's parentheses. */
  readonly reason: string;
  readonly keys: readonly string[];
}

/** [Unit] keys. */
export const UNSUPPORTED_UNIT_KEYS: readonly UnsupportedGroup[] = [
  { reason: 'needs mount units', keys: ['RequiresMountsFor'] },
  { reason: 'needs namespaces', keys: ['JoinsNamespaceOf'] },
  { reason: 'unitvisor does not reboot', keys: ['RebootArgument', 'JobTimeoutRebootArgument'] },
  { reason: 'not implemented', keys: ['OnSuccessJobMode'] },
];

/** [Service] keys (systemd.service(5), systemd.exec(5), systemd.resource-control(5)). */
export const UNSUPPORTED_SERVICE_KEYS: readonly UnsupportedGroup[] = [
  {
    reason: 'needs cgroups',
    keys: [
      'AllowedCPUs', 'AllowedMemoryNodes', 'BPFProgram', 'BlockIOAccounting', 'BlockIODeviceWeight',
      'BlockIOReadBandwidth', 'BlockIOWeight', 'BlockIOWriteBandwidth', 'CPUAccounting', 'CPUQuota',
      'CPUQuotaPeriodSec', 'CPUShares', 'CPUWeight', 'DefaultMemoryLow', 'DefaultMemoryMin', 'Delegate',
      'DeviceAllow', 'DevicePolicy', 'DisableControllers', 'IOAccounting', 'IODeviceLatencyTargetSec',
      'IODeviceWeight', 'IOReadBandwidthMax', 'IOReadIOPSMax', 'IOWeight', 'IOWriteBandwidthMax',
      'IOWriteIOPSMax', 'IPAccounting', 'IPAddressAllow', 'IPAddressDeny', 'IPEgressFilterPath',
      'IPIngressFilterPath', 'ManagedOOMMemoryPressure', 'ManagedOOMMemoryPressureLimit',
      'ManagedOOMPreference', 'ManagedOOMSwap', 'MemoryAccounting', 'MemoryHigh', 'MemoryLimit', 'MemoryLow',
      'MemoryMax', 'MemoryMin', 'MemorySwapMax', 'NetClass', 'OOMPolicy', 'RestrictNetworkInterfaces',
      'Slice', 'SocketBindAllow', 'SocketBindDeny', 'StartupAllowedCPUs', 'StartupAllowedMemoryNodes',
      'StartupBlockIOWeight', 'StartupCPUShares', 'StartupCPUWeight', 'StartupIOWeight', 'TasksAccounting',
      'TasksMax',
    ],
  },
  {
    reason: 'needs a security module',
    keys: [
      'AppArmorProfile', 'SELinuxContext', 'SmackProcessLabel',
    ],
  },
  {
    reason: 'needs namespaces',
    keys: [
      'BindPaths', 'BindReadOnlyPaths', 'DynamicUser', 'ExecPaths', 'ExtensionDirectories', 'ExtensionImages',
      'IPCNamespacePath', 'MountAPIVFS', 'MountFlags',
      'MountImages', 'NetworkNamespacePath', 'NoExecPaths', 'PrivateIPC', 'PrivateMounts',
      'PrivateNetwork', 'PrivateUsers', 'ProcSubset', 'ProtectClock',
      'ProtectHostname', 'ProtectKernelLogs', 'ProtectKernelModules',
      'ProtectProc',
      'RemoveIPC', 'RestrictNamespaces', 'RootDirectory', 'RootDirectoryStartOnly',
      'RootHash', 'RootHashSignature', 'RootImage', 'RootImageOptions', 'RootVerity', 'TemporaryFileSystem',
    ],
  },
  {
    reason: 'not implemented',
    keys: [
      'CPUAffinity', 'CoredumpFilter', 'NUMAMask', 'NUMAPolicy', 'TimerSlackNSec',
    ],
  },
  {
    reason: 'not implemented',
    keys: [
      'ExecSearchPath',
    ],
  },
  {
    reason: 'needs socket activation',
    keys: [
      'FileDescriptorStoreMax', 'NonBlocking', 'Sockets',
    ],
  },
  {
    reason: 'needs a controlling terminal',
    keys: [
      'TTYColumns', 'TTYRows', 'UtmpIdentifier', 'UtmpMode',
    ],
  },
  {
    reason: 'needs PAM',
    keys: [
      'PAMName',
    ],
  },
  {
    reason: 'not implemented',
    keys: [
      'LoadCredential', 'LoadCredentialEncrypted', 'SetCredential', 'SetCredentialEncrypted',
    ],
  },
  {
    reason: 'needs seccomp',
    keys: [
      'LockPersonality', 'Personality',
      'RestrictFileSystems', 'RestrictRealtime', 'RestrictSUIDSGID', 'SystemCallArchitectures',
      'SystemCallLog',
    ],
  },
  {
    reason: 'needs journald',
    keys: [
      'LogExtraFields', 'LogLevelMax', 'LogNamespace', 'LogRateLimitBurst', 'LogRateLimitIntervalSec',
      'SyslogFacility', 'SyslogLevel', 'SyslogLevelPrefix',
    ],
  },
  {
    reason: "deprecated, use the '+' prefix on Exec lines",
    keys: [
      'PermissionsStartOnly',
    ],
  },
  {
    reason: 'unitvisor does not reboot',
    keys: [
      'RebootArgument',
    ],
  },
  {
    reason: 'not implemented',
    keys: [
      'RuntimeRandomizedExtraSec', 'StandardInputData', 'StandardInputText', 'TimeoutCleanSec',
    ],
  },
  {
    reason: 'needs USB FunctionFS',
    keys: [
      'USBFunctionDescriptors', 'USBFunctionStrings',
    ],
  },
];

/** The warning for a known but unsupported key. */
/** Listen*= kinds unitvisor cannot open: they still count as the socket's Listen setting (socket_verify() accepts it). */
export const UNHONOURED_LISTEN_KEYS: readonly string[] = ['ListenNetlink', 'ListenSpecial', 'ListenMessageQueue', 'ListenUSBFunction'];
const UNHONOURED_LISTEN_REASON = 'needs netlink, POSIX message queues or USB FunctionFS';

/** [Socket] keys (systemd.socket(5)) beyond the ones socket-section.ts honours. */
export const UNSUPPORTED_SOCKET_KEYS: readonly UnsupportedGroup[] = [
  {
    reason: 'not implemented',
    keys: [
      'PassCredentials', 'PassSecurity', 'PassPacketInfo', 'ReceiveBuffer', 'SendBuffer', 'Symlinks',
      'FlushPending', 'Writable', 'Timestamping', 'Priority',
      'IPTOS', 'IPTTL', 'Mark', 'Transparent', 'Broadcast', 'FreeBind', 'BindToDevice', 'DeferAcceptSec',
      'KeepAliveTimeSec', 'KeepAliveIntervalSec', 'KeepAliveProbes', 'MaxConnectionsPerSource', 'PipeSize',
      'MessageQueueMaxMessages', 'MessageQueueMessageSize', 'SocketProtocol', 'RemoveIPC',
    ],
  },
  { reason: UNHONOURED_LISTEN_REASON, keys: UNHONOURED_LISTEN_KEYS },
  { reason: 'needs a security module', keys: ['SmackLabel', 'SmackLabelIPIn', 'SmackLabelIPOut', 'SELinuxContextFromNet'] },
];

export const unsupportedMessage = (key: string, reason: string): string =>
  `Setting '${key}' is not supported by unitvisor (${reason}), ignoring.`;

/** Table rows that report each key once per assignment, naming file:line through the loader. */
export function unsupportedRows(groups: readonly UnsupportedGroup[]): Record<string, SettingRow> {
  const rows: Record<string, SettingRow> = {};
  for (const { reason, keys } of groups) {
    for (const key of keys)
      rows[key] = {
        specifiers: false,
        apply(draft, _value, ctx) {
          if (UNHONOURED_LISTEN_KEYS.includes(ctx.key)) draft.explicit.add(ctx.key);
          ctx.warn(unsupportedMessage(ctx.key, reason));
        },
      };
  }
  return rows;
}
