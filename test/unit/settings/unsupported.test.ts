import { describe, expect, test } from 'vitest';
import { UNSUPPORTED_SERVICE_KEYS, UNSUPPORTED_UNIT_KEYS } from '../../../src/unit/settings/unsupported.js';
import { serviceSettings } from '../../../src/unit/settings/service-section.js';
import { unitSettings } from '../../../src/unit/settings/unit-section.js';
import { service, unitLines } from './helpers.js';

const serviceKeys = UNSUPPORTED_SERVICE_KEYS.flatMap((g) => g.keys.map((key) => [key, g.reason] as const));
const unitKeys = UNSUPPORTED_UNIT_KEYS.flatMap((g) => g.keys.map((key) => [key, g.reason] as const));

describe('known but unsupported keys: one warning each, naming file:line, the unit still loads', () => {
  test.each(serviceKeys)('[Service] %s (%s)', (key, reason) => {
    const { config, messages } = service(`${key}=whatever`);
    expect(config.loadState).toBe('loaded');
    expect(messages).toEqual([`/u/a.service:3: Setting '${key}' is not supported by unitvisor (${reason}), ignoring.`]);
  });

  test.each(unitKeys)('[Unit] %s (%s)', (key, reason) => {
    const { messages } = unitLines(`${key}=whatever`);
    expect(messages).toEqual([`/u/a.service:2: Setting '${key}' is not supported by unitvisor (${reason}), ignoring.`]);
  });

  test.each([
    ['Service', serviceKeys],
    ['Unit', unitKeys],
  ] as const)('no [%s] key is listed twice', (_section, keys) => {
    const names = keys.map(([k]) => k);
    expect(new Set(names).size).toBe(names.length);
  });

  test('the well-known examples are covered', () => {
    expect(Object.keys(serviceSettings.rows)).toEqual(expect.arrayContaining(['MemoryMax', 'CPUQuota', 'PrivateTmp', 'ProtectSystem']));
    expect(Object.keys(unitSettings.rows)).toContain('RequiresMountsFor');
  });

  test('removed options, in systemd 252 words', () => {
    expect(service('SysVStartPriority=3', 'Capabilities=x', 'BusPolicy=x').messages).toEqual([
      '/u/a.service:3: Support for option SysVStartPriority= has been removed and it is ignored',
      '/u/a.service:4: Support for option Capabilities= has been removed and it is ignored',
      '/u/a.service:5: Support for option BusPolicy= has been removed and it is ignored',
    ]);
  });
});
