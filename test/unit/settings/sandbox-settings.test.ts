// The sandboxing settings the exec helper enforces, as systemd 252 parses them (warnings checked with
// systemd-analyze verify 252).
import { describe, expect, test } from 'vitest';
import { service } from './helpers.js';

describe('sandbox settings', () => {
  test.each([
    [['PrivateTmp=yes'], 'privateTmp', true],
    [['ProtectSystem=yes'], 'protectSystem', 'yes'],
    [['ProtectSystem=strict', 'ProtectSystem=false'], 'protectSystem', 'no'],
    [['ProtectSystem=full'], 'protectSystem', 'full'],
    [['ProtectHome=read-only'], 'protectHome', 'read-only'],
    [['ProtectHome=true'], 'protectHome', 'yes'],
    [['ReadWritePaths=/var/lib/%p -/srv +/x', 'ReadWriteDirectories=/old'], 'readWritePaths', [
      { path: '/var/lib/a', optional: false }, { path: '/srv', optional: true }, { path: '/x', optional: false }, { path: '/old', optional: false },
    ]],
    [['ReadOnlyPaths=/a', 'ReadOnlyPaths=', 'ReadOnlyPaths=/b'], 'readOnlyPaths', [{ path: '/b', optional: false }]],
    [['InaccessiblePaths=-/c//d/'], 'inaccessiblePaths', [{ path: '/c/d', optional: true }]],
    [['ProtectKernelTunables=yes'], 'protectKernelTunables', true],
    [['ProtectControlGroups=yes'], 'protectControlGroups', true],
  ] as const)('%j → %s', (lines, field, expected) => {
    const loaded = service(...lines);
    expect(loaded.messages).toEqual([]);
    expect(loaded.config.service!.exec[field]).toEqual(expected);
  });

  test.each([
    ['ProtectSystem=maybe', 'Failed to parse protect system value, ignoring: maybe'],
    ['ProtectHome=never', 'Failed to parse protect home value, ignoring: never'],
    ['ReadWritePaths=relative', 'ReadWritePaths= path is not absolute, ignoring: relative'],
    ['PrivateTmp=x', 'Failed to parse boolean value, ignoring: x'],
  ])('%s warns as systemd does', (line, message) => {
    expect(service(line).messages).toEqual([`/u/a.service:3: ${message}`]);
  });
});
