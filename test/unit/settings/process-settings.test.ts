// Limit*=, Nice=, scheduling, capability and security settings as systemd 252 parses them (warnings checked
// with systemd-analyze verify 252).
import { describe, expect, test } from 'vitest';
import { service } from './helpers.js';
import { CAP_ALL } from '../../../src/unit/values/capability.js';

const exec = (...lines: string[]) => service(...lines).config.service!.exec;
const bit = (n: number) => 1n << BigInt(n);

describe('good values', () => {
  test.each([
    [['LimitNOFILE=65535'], 'limits', { NOFILE: { soft: 65535, hard: 65535 } }],
    [['LimitNOFILE=1024:4096', 'LimitAS=1G:infinity', 'LimitCPU=1h', 'LimitRTTIME=10s', 'LimitNICE=-5', 'LimitCORE=64K'], 'limits', {
      NOFILE: { soft: 1024, hard: 4096 }, AS: { soft: 1073741824, hard: 'infinity' }, CPU: { soft: 3600, hard: 3600 },
      RTTIME: { soft: 10_000_000, hard: 10_000_000 }, NICE: { soft: 25, hard: 25 }, CORE: { soft: 65536, hard: 65536 },
    }],
    [['Nice=-5'], 'nice', -5],
    [['Nice=5', 'Nice='], 'nice', undefined],
    [['OOMScoreAdjust=-1000'], 'oomScoreAdjust', -1000],
    [['IOSchedulingPriority=7'], 'ioScheduling', { class: 'best-effort', priority: 7 }],
    [['IOSchedulingClass=2', 'IOSchedulingClass=idle'], 'ioScheduling', { class: 'idle', priority: 4 }],
    [['CPUSchedulingPolicy=fifo'], 'cpuScheduling', { policy: 'fifo', priority: 1, resetOnFork: false }],
    [['CPUSchedulingPriority=50', 'CPUSchedulingPolicy=rr', 'CPUSchedulingResetOnFork=yes'], 'cpuScheduling', { policy: 'rr', priority: 50, resetOnFork: true }],
    [['CPUSchedulingPriority=50', 'CPUSchedulingPolicy=batch'], 'cpuScheduling', { policy: 'batch', priority: 0, resetOnFork: false }],
    [['CapabilityBoundingSet=CAP_CHOWN cap_kill bogus'], 'capabilityBoundingSet', bit(0) | bit(5)],
    [['CapabilityBoundingSet=CAP_CHOWN', 'CapabilityBoundingSet=CAP_KILL'], 'capabilityBoundingSet', bit(0) | bit(5)],
    [['CapabilityBoundingSet=~CAP_SYS_ADMIN'], 'capabilityBoundingSet', CAP_ALL & ~bit(21)],
    [['CapabilityBoundingSet=CAP_KILL', 'CapabilityBoundingSet='], 'capabilityBoundingSet', 0n],
    [['AmbientCapabilities=CAP_NET_BIND_SERVICE', 'AmbientCapabilities=CAP_NET_RAW'], 'ambientCapabilities', bit(10) | bit(13)],
    [['SecureBits=keep-caps noroot-locked bogus'], 'secureBits', (1 << 4) | (1 << 1)],
    [['NoNewPrivileges=yes'], 'noNewPrivileges', true],
    [['KeyringMode=shared'], 'keyringMode', 'shared'],
    [['IgnoreSIGPIPE=no'], 'ignoreSIGPIPE', false],
    [['TTYPath=/dev/tty%p', 'TTYReset=yes', 'TTYVHangup=yes'], 'ttyPath', '/dev/ttya'],
  ] as const)('%j → %s', (lines, field, expected) => {
    const loaded = service(...lines);
    expect(loaded.messages).toEqual([]);
    const value = loaded.config.service!.exec[field];
    expect(field === 'limits' ? Object.fromEntries(Object.entries(value as object).filter(([k]) => lines.some((l) => l.startsWith(`Limit${k}=`)))) : value).toEqual(expected);
  });

  test("defaults: systemd's system-service values", () => {
    const e = exec();
    expect(e.limits).toEqual({ NOFILE: { soft: 1024, hard: 524288 } });
    expect([e.capabilityBoundingSet, e.ambientCapabilities, e.keyringMode, e.ignoreSIGPIPE, e.noNewPrivileges]).toEqual([CAP_ALL, 0n, 'private', true, false]);
  });
});

describe('bad values warn as systemd does', () => {
  test.each([
    ['LimitNOFILE=abc', 'Failed to parse resource value, ignoring: abc'],
    ['LimitNICE=+30', 'Failed to parse resource value, ignoring: +30'],
    ['LimitCPU=1h:x', 'Failed to parse resource value, ignoring: 1h:x'],
    ['Nice=30', 'Nice priority out of range, ignoring: 30'],
    ['Nice=abc', "Failed to parse nice priority 'abc', ignoring: Invalid argument"],
    ['OOMScoreAdjust=2000', 'OOM score adjust value out of range, ignoring: 2000'],
    ['OOMScoreAdjust=abc', "Failed to parse the OOM score adjust value 'abc', ignoring: Invalid argument"],
    ['IOSchedulingClass=fast', 'Failed to parse IO scheduling class, ignoring: fast'],
    ['IOSchedulingPriority=9', 'Failed to parse IO priority, ignoring: 9'],
    ['CPUSchedulingPolicy=turbo', 'Failed to parse CPU scheduling policy, ignoring: turbo'],
    ['CPUSchedulingPriority=200', 'CPU scheduling priority is out of range, ignoring: 200'],
    ['CPUSchedulingPriority=abc', 'Failed to parse CPU scheduling priority, ignoring: abc'],
    ['KeyringMode=public', 'Failed to parse keyring mode, ignoring: public'],
    ['IgnoreSIGPIPE=maybe', 'Failed to parse boolean value, ignoring: maybe'],
    ['TTYPath=relative', 'TTYPath= path is not absolute, ignoring: relative'],
  ])('%s', (line, message) => {
    expect(service(line).messages).toEqual([`/u/a.service:3: ${message}`]);
  });
});
