import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runEnable, runIsEnabled } from '../../src/cli/offline/index.js';
import { systemdTool } from '../helpers/systemd.js';
import { makeRoot } from '../helpers/unit-root.js';

const LIB = 'usr/lib/systemd/system';
const ETC = 'etc/systemd/system';
const SVC = '[Service]\nExecStart=/bin/true\n';
const INSTALL = (s: string) => `${SVC}[Install]\n${s}\n`;

const hasSystemctl = systemdTool('systemctl');

/** Every symlink under etc/ and run/ with its target, and every directory: the part of the tree enable touches. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(root, p);
      if (e.isSymbolicLink()) out.push(`${rel} -> ${fs.readlinkSync(p)}`);
      else if (e.isDirectory()) {
        out.push(`${rel}/`);
        walk(p);
      }
    }
  };
  for (const top of ['etc', 'run']) if (fs.existsSync(path.join(root, top))) walk(path.join(root, top));
  return out.sort();
}

function systemctl(root: string, args: string[]) {
  const r = spawnSync('systemctl', [`--root=${root}`, ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
}

// Removal order follows readdir() in systemctl; compare those lines as sets.
const normalise = (text: string, root: string) => text.split(root).join('<ROOT>').split('\n').filter((l) => l !== '');
const removedSorted = (lines: string[]) => [...lines.filter((l) => l.startsWith('Removed')).sort(), ...lines.filter((l) => !l.startsWith('Removed'))];

interface Case {
  readonly title: string;
  readonly files: Record<string, string | { link: string }>;
  /** Commands run one after another, each compared. */
  readonly steps: readonly { readonly verb: 'enable' | 'disable' | 'is-enabled'; readonly names: readonly string[] }[];
}

const TARGETS = { [`${LIB}/multi-user.target`]: '[Unit]\nDescription=Multi-User\n', [`${LIB}/foo.target`]: '[Unit]\n' };

const CASES: readonly Case[] = [
  {
    title: 'WantedBy=, RequiredBy=, Alias= and Also=',
    files: {
      ...TARGETS,
      [`${LIB}/a.service`]: INSTALL('WantedBy=multi-user.target\nRequiredBy=foo.target\nAlias=aa.service\nAlso=b.service'),
      [`${LIB}/b.service`]: INSTALL('WantedBy=b.target'),
    },
    steps: [
      { verb: 'enable', names: ['a.service'] },
      { verb: 'is-enabled', names: ['a.service'] },
      { verb: 'is-enabled', names: ['aa.service'] },
      { verb: 'is-enabled', names: ['b.service'] },
      { verb: 'enable', names: ['a.service'] },
      { verb: 'disable', names: ['a.service'] },
      { verb: 'is-enabled', names: ['a.service'] },
    ],
  },
  {
    title: 'templates: DefaultInstance=, explicit instances, disabling one instance or all',
    files: {
      ...TARGETS,
      [`${LIB}/t@.service`]: INSTALL('WantedBy=multi-user.target\nDefaultInstance=def'),
      [`${LIB}/tpl@.service`]: INSTALL('WantedBy=multi-user.target'),
    },
    steps: [
      { verb: 'enable', names: ['t@.service', 't@x.service', 't@y.service'] },
      { verb: 'is-enabled', names: ['t@.service'] },
      { verb: 'is-enabled', names: ['t@x.service'] },
      { verb: 'is-enabled', names: ['t@z.service'] },
      { verb: 'disable', names: ['t@x.service'] },
      { verb: 'disable', names: ['t@.service'] },
      { verb: 'enable', names: ['tpl@.service'] },
      { verb: 'enable', names: ['tpl@q.service'] },
      { verb: 'is-enabled', names: ['tpl@.service'] },
    ],
  },
  {
    title: 'a unit in /etc itself, a static unit, a masked unit, a missing unit',
    files: {
      ...TARGETS,
      [`${ETC}/e.service`]: INSTALL('WantedBy=multi-user.target'),
      [`${LIB}/s.service`]: SVC,
      [`${LIB}/m.service`]: INSTALL('WantedBy=multi-user.target'),
      [`${ETC}/m.service`]: { link: '/dev/null' },
      [`${LIB}/empty.service`]: '',
    },
    steps: [
      { verb: 'enable', names: ['e.service'] },
      { verb: 'enable', names: ['s.service'] },
      { verb: 'enable', names: ['m.service'] },
      { verb: 'enable', names: ['empty.service'] },
      { verb: 'enable', names: ['nope.service'] },
      { verb: 'disable', names: ['m.service'] },
      { verb: 'disable', names: ['nope.service'] },
      { verb: 'is-enabled', names: ['e.service', 's.service', 'm.service', 'empty.service'] },
      { verb: 'is-enabled', names: ['nope.service'] },
    ],
  },
  {
    title: 'a target that does not exist, a link already in the way, runtime links',
    files: {
      [`${LIB}/w.service`]: INSTALL('WantedBy=nowhere.target\nAlias=taken.service'),
      [`${LIB}/other.service`]: SVC,
      [`${ETC}/taken.service`]: { link: '/usr/lib/systemd/system/other.service' },
      [`${LIB}/r.service`]: INSTALL('WantedBy=multi-user.target'),
      'run/systemd/system/multi-user.target.wants/r.service': { link: '/usr/lib/systemd/system/r.service' },
      [`${LIB}/i.service`]: INSTALL('Also=r.service'),
    },
    steps: [
      { verb: 'enable', names: ['w.service'] },
      { verb: 'is-enabled', names: ['r.service'] },
      { verb: 'is-enabled', names: ['i.service'] },
      { verb: 'is-enabled', names: ['taken.service'] },
      { verb: 'disable', names: ['r.service'] },
    ],
  },
  {
    title: 'a linked unit file, an alias in the same directory, enabling through an alias name',
    files: {
      ...TARGETS,
      'opt/lk.service': INSTALL('WantedBy=multi-user.target'),
      [`${ETC}/lk.service`]: { link: '/opt/lk.service' },
      [`${LIB}/x.service`]: INSTALL('WantedBy=multi-user.target\nAlias=x2.service'),
      [`${LIB}/xa.service`]: { link: 'x.service' },
    },
    steps: [
      { verb: 'is-enabled', names: ['lk.service', 'xa.service', 'x.service'] },
      { verb: 'enable', names: ['xa.service', 'lk.service'] },
      { verb: 'is-enabled', names: ['lk.service', 'xa.service', 'x.service', 'x2.service'] },
      { verb: 'disable', names: ['x.service', 'lk.service'] },
      { verb: 'is-enabled', names: ['lk.service', 'x.service'] },
    ],
  },
];

function ours(root: string, verb: Case['steps'][number]['verb'], names: readonly string[]) {
  if (verb === 'is-enabled') return runIsEnabled({ root, names });
  return runEnable({ root, names, disable: verb === 'disable' });
}

describe.each(CASES)('enable/disable/is-enabled like systemctl --root: $title', ({ files, steps }) => {
  test.skipIf(!hasSystemctl)('same links, same messages, same exit codes', () => {
    const theirs = makeRoot(files);
    const mine = makeRoot(files);
    for (const step of steps) {
      const expected = systemctl(theirs, [step.verb, ...step.names]);
      const actual = ours(mine, step.verb, step.names);
      const label = `${step.verb} ${step.names.join(' ')}`;
      expect({ step: label, stdout: normalise(actual.stdout, mine), stderr: removedSorted(normalise(actual.stderr, mine)), exitCode: actual.exitCode }).toEqual({
        step: label,
        stdout: normalise(expected.stdout, theirs),
        stderr: removedSorted(normalise(expected.stderr, theirs)),
        exitCode: expected.exitCode,
      });
      expect(snapshot(mine)).toEqual(snapshot(theirs));
    }
  });
});

describe('enable without systemctl to compare with', () => {
  test('prints the created links and the links point at the fragment as the system sees it', () => {
    const root = makeRoot({ ...TARGETS, [`${LIB}/a.service`]: INSTALL('WantedBy=multi-user.target') });
    const r = runEnable({ root, names: ['a.service'] });
    expect(r).toEqual({
      stdout: '',
      stderr: `Created symlink ${root}/${ETC}/multi-user.target.wants/a.service → /usr/lib/systemd/system/a.service.\n`,
      exitCode: 0,
    });
    expect(fs.readlinkSync(`${root}/${ETC}/multi-user.target.wants/a.service`)).toBe('/usr/lib/systemd/system/a.service');
    expect(runEnable({ root, names: ['a.service'], disable: true }).stderr).toBe(`Removed "${root}/${ETC}/multi-user.target.wants/a.service".\n`);
    expect(fs.existsSync(`${root}/${ETC}/multi-user.target.wants`)).toBe(false);
  });

  test('unitvisor’s built-in targets count as existing units', () => {
    const root = makeRoot({ [`${LIB}/a.service`]: INSTALL('WantedBy=multi-user.target') });
    expect(runEnable({ root, names: ['a.service'] }).stderr).not.toContain('non-existent unit');
  });

  test('--unit-path: the first directory is where links go', () => {
    const root = makeRoot({ 'units/a.service': INSTALL('WantedBy=multi-user.target') });
    const r = runEnable({ unitPath: [`${root}/units`], names: ['a.service'] });
    expect(r.exitCode).toBe(0);
    expect(fs.readlinkSync(`${root}/units/multi-user.target.wants/a.service`)).toBe(`${root}/units/a.service`);
    expect(runIsEnabled({ unitPath: [`${root}/units`], names: ['a.service'] })).toEqual({ stdout: 'enabled\n', stderr: '', exitCode: 0 });
  });
});
