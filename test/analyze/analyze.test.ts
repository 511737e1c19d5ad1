// analyze blame, critical-chain, dot and plot over a fixed snapshot, in systemd-analyze 252's formats
// (the layouts below were printed by the real systemd-analyze through the oracle).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { formatBlame } from '../../src/analyze/blame.js';
import { formatCriticalChain } from '../../src/analyze/critical-chain.js';
import { formatDot } from '../../src/analyze/dot.js';
import { globMatcher } from '../../src/common/glob.js';
import { formatPlot } from '../../src/analyze/plot.js';
import { systemState } from '../../src/analyze/system-state.js';
import { BOOT_SNAPSHOT, snapshot, unit } from './fixture.js';

const hasDot = spawnSync('dot', ['-V']).status === 0;

describe('analyze blame', () => {
  test('longest start first, times right-aligned as systemd-analyze blame prints them', () => {
    // systemd-analyze blame: "512ms db.service\n311ms app.service\n 88ms systemd-sysctl.service"
    expect(formatBlame(BOOT_SNAPSHOT)).toBe(['502ms db.service', '311ms app.service', '100ms late.service', ' 18ms cache.service'].join('\n'));
  });

  test('seconds with millisecond accuracy, as format_timespan(…, USEC_PER_MSEC)', () => {
    const s = snapshot([unit('slow.service', { exit: 10, enter: 1244 }), unit('x.service', { exit: 10, enter: 75_010 })]);
    expect(formatBlame(s)).toBe(['1min 15s x.service', '  1.234s slow.service'].join('\n'));
  });
});

describe('analyze critical-chain', () => {
  test('the chain of the default target: the After= unit that became active last, recursively', () => {
    expect(formatCriticalChain(BOOT_SNAPSHOT, [])).toBe(
      [
        'The time when unit became active or started is printed after the "@" character.',
        'The time the unit took to start is printed after the "+" character.',
        '',
        'multi-user.target @940ms',
        '└─app.service @931ms +311ms',
        '  └─db.service @612ms +502ms',
        '    └─basic.target @100ms',
      ].join('\n'),
    );
  });

  test('a named unit: its own line shows only "+time"; units active after startup finished are left out', () => {
    const text = formatCriticalChain(BOOT_SNAPSHOT, ['late.service']) ?? '';
    expect(text.split('\n').slice(3)).toEqual(['late.service +100ms', '└─multi-user.target @940ms', '  └─app.service @931ms +311ms', '    └─db.service @612ms +502ms', '      └─basic.target @100ms']);
  });

  test('units that became active at the same moment branch with ├─ and │', () => {
    const s = snapshot([
      unit('a.service', { exit: 10, enter: 50 }),
      unit('b.service', { exit: 10, enter: 50 }, { After: ['c.service'] }),
      unit('c.service', { exit: 5, enter: 8 }),
      unit('t.target', { exit: 60, enter: 60 }, { After: ['a.service', 'b.service'] }),
    ]);
    expect((formatCriticalChain(s, ['t.target']) ?? '').split('\n').slice(3)).toEqual(['t.target @60ms', '├─a.service @50ms +40ms', '└─b.service @50ms +40ms', '  └─c.service @8ms +3ms']);
  });

  test('while starting it answers nothing (the caller prints systemd-analyze’s "Bootup is not yet finished")', () => {
    expect(formatCriticalChain(snapshot(BOOT_SNAPSHOT.units as never, 0), [])).toBeUndefined();
  });
});

describe('analyze dot', () => {
  test('edges coloured as systemd-analyze dot: After green, Requires black, Wants grey66, Conflicts red', () => {
    const dot = formatDot(BOOT_SNAPSHOT, { patterns: ['app.service'] });
    expect(dot.split('\n')).toEqual([
      'digraph systemd {',
      '\t"app.service"->"db.service" [color="green"];',
      '\t"app.service"->"basic.target" [color="green"];',
      '\t"app.service"->"cache.service" [color="green"];',
      '\t"app.service"->"db.service" [color="black"];',
      '\t"app.service"->"cache.service" [color="grey66"];',
      '\t"app.service"->"shutdown.target" [color="red"];',
      '\t"multi-user.target"->"app.service" [color="green"];',
      '\t"multi-user.target"->"app.service" [color="grey66"];',
      '}',
    ]);
    expect(formatDot(BOOT_SNAPSHOT, { patterns: [], only: 'require', from: ['app.*'] })).not.toContain('green');
  });

  test('fnmatch patterns', () => {
    expect(globMatcher('*.service')('a.service')).toBe(true);
    expect(globMatcher('a?.target')('ab.target')).toBe(true);
    expect(globMatcher('[ab].service')('c.service')).toBe(false);
    expect(globMatcher('a.service')('aXservice')).toBe(false);
  });

  test.skipIf(!hasDot)('graphviz accepts the graph (needs Debian package graphviz)', () => {
    const svg = execFileSync('dot', ['-Tsvg'], { input: formatDot(BOOT_SNAPSHOT, { patterns: [] }) }).toString();
    expect(svg).toContain('<svg');
    expect(svg).toContain('app.service');
  });
  if (!hasDot) console.log('analyze dot: graphviz (dot) is not installed; its check is skipped (apt-get install graphviz)');
});

describe('analyze plot', () => {
  test('one bar per unit with systemd-analyze plot’s classes, the startup line, and a failed unit marked', () => {
    const failed = unit('bad.service', { exit: 700, enter: 705, leave: 800, dead: 810 }, {}, { activeState: 'failed' });
    const svg = formatPlot(snapshot([...BOOT_SNAPSHOT.units, failed]));
    expect(svg).toMatch(/^<\?xml version="1.0" standalone="no"\?>\n<!DOCTYPE svg/);
    expect(svg).toContain('Startup finished in 2s (userspace). multi-user.target reached after 940ms in userspace.');
    for (const name of ['db.service (502ms)', 'app.service (311ms)', 'cache.service (18ms)', 'late.service (100ms)']) expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('>bad.service (5ms) failed</text>');
    // db.service (third by start time, after basic.target and cache.service): activating 110→612 ms, active
    // until the end (3 s), at systemd's scale of 100 px per second and 20 px per row.
    expect(svg).toContain('<rect class="activating" x="11.000" y="40.000" width="50.200" height="19.000" />');
    expect(svg).toContain('<rect class="active" x="61.200" y="40.000" width="238.800" height="19.000" />');
    expect(svg).toContain('<rect class="deactivating" x="80.000"');
    expect(svg).toContain('<rect class="failed" x="81.000"');
  });
});

describe('is-system-running', () => {
  test.each([
    [{ stopping: true, startupFinished: true, failedUnits: 1 }, 'stopping'],
    [{ stopping: false, startupFinished: false, failedUnits: 1 }, 'starting'],
    [{ stopping: false, startupFinished: true, failedUnits: 1 }, 'degraded'],
    [{ stopping: false, startupFinished: true, failedUnits: 0 }, 'running'],
  ])('%o → %s', (facts, state) => {
    expect(systemState(facts)).toBe(state);
  });
});
