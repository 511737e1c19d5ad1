// How far each setting is honoured on a host: the classification behind `verify --report`, show's NotEnforced=
// and the one line a unit starts with.
import { describe, expect, test } from 'vitest';
import { notEnforcedKeys, settingSupport, type HostAbilities } from '../../src/unit/setting-support.js';
import { unenforcedSettingsLine } from '../../src/unit/diagnostic-summary.js';
import { formatReport, settingReport } from '../../src/cli/offline/setting-report.js';
import { load } from './settings/helpers.js';

const ABLE: HostAbilities = { mountNamespaces: true, cgroups: true, seccomp: true };
const UNABLE: HostAbilities = { mountNamespaces: false, cgroups: false, seccomp: false };

describe('settingSupport', () => {
  test.each([
    ['Service.ExecStart', ABLE, 'supported'],
    ['Service.LimitNOFILE', UNABLE, 'supported'],
    ['Service.PrivateTmp', ABLE, 'enforced here'],
    ['Service.ProtectSystem', UNABLE, 'not enforced here'],
    ['Service.ReadOnlyPaths', UNABLE, 'not enforced here'],
    ['Service.KillMode', ABLE, 'supported'],
    ['Service.KillMode', UNABLE, 'approximated'],
    ['Service.MemoryMax', ABLE, 'not enforced here'],
    ['Service.SystemCallFilter', ABLE, 'enforced here'],
    ['Service.RestrictAddressFamilies', UNABLE, 'not enforced here'],
    ['Socket.ListenNetlink', ABLE, 'not enforced here'],
    ['Unit.RequiresMountsFor', ABLE, 'not enforced here'],
    ['Service.Capabilities', ABLE, 'ignored'],
    ['Service.NoSuchKey', ABLE, 'ignored'],
    ['Service.X-Extension', ABLE, 'ignored'],
  ] as const)('%s on %o is %s', (setting, host, status) => {
    expect(settingSupport(setting, host).status).toBe(status);
  });

  test('what is not enforced says why', () => {
    expect(settingSupport('Service.MemoryMax', ABLE).why).toBe('needs cgroups');
    expect(settingSupport('Service.PrivateTmp', UNABLE).why).toMatch(/^needs a mount namespace/);
    expect(settingSupport('Service.ExecStart', ABLE).why).toBeUndefined();
    expect(settingSupport('Service.MemoryDenyWriteExecute', UNABLE).why).toBe('needs libseccomp.so.2, which this host lacks');
  });
});

describe("a unit's not-enforced settings", () => {
  const redis = load(
    '[Unit]\nRequiresMountsFor=/var/lib/redis\n[Service]\nExecStart=/usr/bin/redis-server\nPrivateTmp=yes\nMemoryMax=1G\nLimitNOFILE=65535',
    'redis-server.service',
    ['[Service]\nMemoryMax=2G\nProtectSystem=full'],
  ).config;

  test('in file order, each once, the sandbox ones only where the host cannot build it', () => {
    expect(notEnforcedKeys(redis, ABLE)).toEqual(['RequiresMountsFor', 'MemoryMax']);
    expect(notEnforcedKeys(redis, UNABLE)).toEqual(['RequiresMountsFor', 'PrivateTmp', 'MemoryMax', 'ProtectSystem']);
  });

  test('the one line the unit starts with', () => {
    expect(unenforcedSettingsLine('redis-server.service', notEnforcedKeys(redis, ABLE))).toBe(
      '2 settings of redis-server.service not enforced here: RequiresMountsFor, MemoryMax (unitvisor verify --report redis-server.service says why).',
    );
    expect(unenforcedSettingsLine('x.service', [])).toBeUndefined();
  });

  test('the report: one row per setting with the units that set it, totals per status', () => {
    const web = load('[Service]\nExecStart=/bin/web\nPrivateTmp=yes\nFrobnicate=1', 'web.service').config;
    const rows = settingReport([redis, web], ABLE);
    expect(rows.find((r) => r.setting === 'Service.PrivateTmp')).toEqual({ setting: 'Service.PrivateTmp', status: 'enforced here', why: undefined, units: ['redis-server.service', 'web.service'] });
    expect(rows.find((r) => r.setting === 'Service.Frobnicate')).toMatchObject({ status: 'ignored', why: 'unknown key', units: ['web.service'] });
    // Statuses in order: supported first, ignored last.
    expect(rows.map((r) => r.status)).toEqual([...rows.map((r) => r.status)].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)));
    const text = formatReport(rows, 2).split('\n');
    expect(text[0]).toMatch(/^SETTING +STATUS +UNITS WHY$/);
    expect(text).toContainEqual(expect.stringMatching(/^Service\.MemoryMax +not enforced here +1 needs cgroups$/));
    expect(text.at(-1)).toBe('7 settings in 2 units: 2 supported, 2 enforced here, 0 approximated, 2 not enforced here, 1 ignored.');
  });
});

const ORDER = ['supported', 'enforced here', 'approximated', 'not enforced here', 'ignored'];
