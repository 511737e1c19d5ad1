// list-unit-files with --root: every unit file of the search path, its state and its preset, as
// `systemctl --root=DIR list-unit-files` (systemd 252) prints them for the same tree, text and JSON.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { parsePresetFile, presetFileOrder, queryPreset } from '../../src/unit/presets.js';
import { runCli } from '../helpers/start-daemon.js';
import { systemdTool } from '../helpers/systemd.js';
import { makeRoot } from '../helpers/unit-root.js';

const LIB = 'usr/lib/systemd/system';
const ETC = 'etc/systemd/system';
const SVC = '[Service]\nExecStart=/bin/true\n';
const INSTALL = (s: string) => `${SVC}[Install]\n${s}\n`;
const hasSystemctl = systemdTool('systemctl');

/** One tree with every state systemctl tells apart. */
const TREE = {
  [`${LIB}/web.service`]: INSTALL('WantedBy=multi-user.target\nAlias=web2.service'),
  [`${ETC}/multi-user.target.wants/web.service`]: { link: `/${LIB}/web.service` },
  [`${ETC}/web2.service`]: { link: `/${LIB}/web.service` },
  [`${LIB}/off.service`]: INSTALL('WantedBy=multi-user.target'),
  [`${LIB}/static.service`]: SVC,
  [`${LIB}/also.service`]: INSTALL('Also=web.service'),
  [`${LIB}/getty@.service`]: INSTALL('WantedBy=multi-user.target'),
  [`${LIB}/rt.service`]: INSTALL('WantedBy=multi-user.target'),
  'run/systemd/system/multi-user.target.wants/rt.service': { link: `/${LIB}/rt.service` },
  [`${LIB}/multi-user.target`]: '[Unit]\nDescription=Multi-User System\n',
  [`${LIB}/nightly.timer`]: '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n',
  [`${ETC}/masked.service`]: { link: '/dev/null' },
  'run/systemd/system/rmasked.service': { link: '/dev/null' },
  'run/systemd/generator/gen.service': SVC,
  'opt/ext.service': SVC,
  [`${ETC}/ext.service`]: { link: '/opt/ext.service' },
  [`${LIB}/broken.service`]: '[Service\n',
  'usr/lib/systemd/system-preset/50-local.preset': 'disable off.service\ndisable *.timer\nnonsense here\n',
  'usr/lib/systemd/system-preset/90-all.preset': 'disable *\n',
  'etc/systemd/system-preset/10-timer.preset': 'enable nightly.timer\n',
  // Same name as the /usr/lib one: this file replaces it.
  'etc/systemd/system-preset/90-all.preset': 'enable *\n',
};

describe('list-unit-files', () => {
  test('states, presets, the type-then-name order and the footer, as systemctl 252 prints them', async () => {
    const root = makeRoot(TREE);
    const mine = await runCli(['list-unit-files', `--root=${root}`]);
    expect(mine.stdout.split('\n')).toEqual([
      'UNIT FILE         STATE           PRESET',
      'also.service      indirect        enabled',
      'broken.service    bad             enabled',
      'ext.service       linked          enabled',
      'gen.service       generated       -',
      'getty@.service    disabled        enabled',
      'masked.service    masked          enabled',
      'off.service       disabled        disabled',
      'rmasked.service   masked-runtime  enabled',
      'rt.service        enabled-runtime enabled',
      'static.service    static          -',
      'web.service       enabled         enabled',
      'web2.service      alias           -',
      'multi-user.target static          -',
      'nightly.timer     disabled        enabled',
      '',
      '14 unit files listed.',
      '',
    ]);
    expect(mine.stderr).toBe(`${root}/usr/lib/systemd/system-preset/50-local.preset:3: Couldn't parse line 'nonsense here'. Ignoring.\n`);
    expect(mine.code).toBe(0);
    if (!hasSystemctl) return;
    const theirs = spawnSync('systemctl', [`--root=${root}`, 'list-unit-files'], { encoding: 'utf8' });
    expect(mine.stdout).toBe(theirs.stdout);
    expect(theirs.stderr).toContain(mine.stderr.trim());
  });

  test('patterns, --state and JSON output compare with systemctl; nothing listed exits 1', async () => {
    const root = makeRoot(TREE);
    const cases = [['*.timer', 'web*'], ['--state=disabled,static'], ['-o', 'json'], ['--output=json-pretty', '--state=alias'], ['nosuch*']];
    for (const args of cases) {
      const mine = await runCli(['list-unit-files', `--root=${root}`, ...args]);
      if (args[0] === 'nosuch*') expect(mine).toMatchObject({ stdout: 'UNIT FILE STATE PRESET\n\n0 unit files listed.\n', code: 1 });
      if (args[0] === '-o') expect(JSON.parse(mine.stdout)).toContainEqual({ unit_file: 'gen.service', state: 'generated', preset: null });
      if (!hasSystemctl) continue;
      const theirs = spawnSync('systemctl', [`--root=${root}`, 'list-unit-files', ...args], { encoding: 'utf8' });
      expect({ args, stdout: mine.stdout, code: mine.code }).toEqual({ args, stdout: theirs.stdout, code: theirs.status });
    }
  });

  test('preset files: read by name across folders, a name in /etc hiding the same name below, first match wins', () => {
    const order = presetFileOrder([
      ['/etc/systemd/system-preset', ['90-all.preset', 'README']],
      ['/usr/lib/systemd/system-preset', ['90-all.preset', '50-local.preset']],
    ]);
    expect(order).toEqual(['/usr/lib/systemd/system-preset/50-local.preset', '/etc/systemd/system-preset/90-all.preset']);
    const rules = [...parsePresetFile('disable a*.service\nenable *\n', 'x').rules];
    expect([queryPreset(rules, 'ab.service'), queryPreset(rules, 'b.service'), queryPreset([], 'c.service')]).toEqual(['disabled', 'enabled', 'enabled']);
  });
});
