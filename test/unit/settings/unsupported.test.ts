// Keys systemd 252 knows but unitvisor cannot honour: each loads with one warning naming file:line and the
// reason, and the unit still loads. The lists are written out here, so a key dropped from the loader's
// table (it would then be an "Unknown key" or silently accepted) fails.
import { describe, expect, test } from 'vitest';
import { service, unitLines } from './helpers.js';

const UNIT: Record<string, string> = {
  'needs mount units': `
    RequiresMountsFor`,
  'needs namespaces': `
    JoinsNamespaceOf`,
  'unitvisor does not reboot': `
    RebootArgument JobTimeoutRebootArgument`,
  'not implemented': `
    OnSuccessJobMode`,
};
const SERVICE: Record<string, string> = {
  'needs cgroups': `
    AllowedCPUs AllowedMemoryNodes BPFProgram BlockIOAccounting BlockIODeviceWeight BlockIOReadBandwidth
    BlockIOWeight BlockIOWriteBandwidth CPUAccounting CPUQuota CPUQuotaPeriodSec CPUShares CPUWeight
    DefaultMemoryLow DefaultMemoryMin Delegate DeviceAllow DevicePolicy DisableControllers IOAccounting
    IODeviceLatencyTargetSec IODeviceWeight IOReadBandwidthMax IOReadIOPSMax IOWeight IOWriteBandwidthMax
    IOWriteIOPSMax IPAccounting IPAddressAllow IPAddressDeny IPEgressFilterPath IPIngressFilterPath
    ManagedOOMMemoryPressure ManagedOOMMemoryPressureLimit ManagedOOMPreference ManagedOOMSwap
    MemoryAccounting MemoryHigh MemoryLimit MemoryLow MemoryMax MemoryMin MemorySwapMax NetClass OOMPolicy
    RestrictNetworkInterfaces Slice SocketBindAllow SocketBindDeny StartupAllowedCPUs
    StartupAllowedMemoryNodes StartupBlockIOWeight StartupCPUShares StartupCPUWeight StartupIOWeight
    TasksAccounting TasksMax`,
  'needs a security module': `
    AppArmorProfile SELinuxContext SmackProcessLabel`,
  'needs namespaces': `
    BindPaths BindReadOnlyPaths DynamicUser ExecPaths ExtensionDirectories ExtensionImages IPCNamespacePath
      MountAPIVFS MountFlags MountImages NetworkNamespacePath
    NoExecPaths PrivateIPC PrivateMounts PrivateNetwork  PrivateUsers ProcSubset
    ProtectClock   ProtectHostname ProtectKernelLogs ProtectKernelModules
     ProtectProc    
     RemoveIPC RestrictNamespaces RootDirectory RootDirectoryStartOnly RootHash
    RootHashSignature RootImage RootImageOptions RootVerity TemporaryFileSystem`,
  'not implemented': `
    CPUAffinity CoredumpFilter NUMAMask NUMAPolicy TimerSlackNSec ExecSearchPath
    LoadCredential LoadCredentialEncrypted SetCredential SetCredentialEncrypted
    RuntimeRandomizedExtraSec StandardInputData StandardInputText TimeoutCleanSec`,
  'needs socket activation': `
    FileDescriptorStoreMax NonBlocking Sockets`,
  'needs a controlling terminal': `
    TTYColumns TTYRows UtmpIdentifier UtmpMode`,
  'needs PAM': `
    PAMName`,
  'needs seccomp': `
    LockPersonality Personality RestrictFileSystems
    RestrictRealtime RestrictSUIDSGID SystemCallArchitectures
    SystemCallLog`,
  'needs journald': `
    LogExtraFields LogLevelMax LogNamespace LogRateLimitBurst LogRateLimitIntervalSec SyslogFacility
    SyslogLevel SyslogLevelPrefix`,
  "deprecated, use the '+' prefix on Exec lines": `
    PermissionsStartOnly`,
  'unitvisor does not reboot': `
    RebootArgument`,
  'needs USB FunctionFS': `
    USBFunctionDescriptors USBFunctionStrings`,
};

const words = (list: string): string[] => list.split(/\s+/).filter(Boolean);
const warning = (line: number, key: string, reason: string) =>
  `/u/a.service:${line}: Setting '${key}' is not supported by unitvisor (${reason}), ignoring.`;

describe('known but unsupported keys: one warning each, naming file:line and why; the unit still loads', () => {
  test.each(Object.entries(SERVICE))('[Service], %s', (reason, list) => {
    const keys = words(list);
    const { config, messages } = service(...keys.map((key) => `${key}=whatever`));
    expect(config.loadState).toBe('loaded');
    // [Service] and ExecStart= take lines 1 and 2.
    expect(messages).toEqual(keys.map((key, i) => warning(i + 3, key, reason)));
  });

  test.each(Object.entries(UNIT))('[Unit], %s', (reason, list) => {
    const keys = words(list);
    const { config, messages } = unitLines(...keys.map((key) => `${key}=whatever`));
    expect(config.loadState).toBe('loaded');
    expect(messages).toEqual(keys.map((key, i) => warning(i + 2, key, reason)));
  });

  test('removed options, in systemd 252 words', () => {
    expect(service('SysVStartPriority=3', 'Capabilities=x', 'BusPolicy=x').messages).toEqual([
      '/u/a.service:3: Support for option SysVStartPriority= has been removed and it is ignored',
      '/u/a.service:4: Support for option Capabilities= has been removed and it is ignored',
      '/u/a.service:5: Support for option BusPolicy= has been removed and it is ignored',
    ]);
  });
});
