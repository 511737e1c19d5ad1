import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSystemd, systemdTool } from '../helpers/systemd.js';
import {
  dropInSearchNames,
  escapeUnitName,
  escapeUnitPath,
  parseUnitName,
  prefixesOf,
  templateOf,
  tryUnescapeUnitName,
  unescapeUnitName,
  unescapeUnitPath,
  unitSuffix,
  withInstance,
} from '../../src/unit/unit-name.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');
const hasSystemdEscape = systemdTool('systemd-escape');
const systemdEscape = (...args: string[]): string | undefined => runSystemd('systemd-escape', args)?.replace(/\n$/, '');

// After systemd's test-unit-name.c (test_unit_name_is_valid).
describe('parseUnitName', () => {
  test.each<[string, ReturnType<typeof parseUnitName>]>([
    ['foo.service', { prefix: 'foo', instance: undefined, template: false, suffix: 'service' }],
    ['getty@tty1.service', { prefix: 'getty', instance: 'tty1', template: false, suffix: 'service' }],
    ['getty@.service', { prefix: 'getty', instance: undefined, template: true, suffix: 'service' }],
    ['a@b@c.target', { prefix: 'a', instance: 'b@c', template: false, suffix: 'target' }],
    ['foo.bar.service', { prefix: 'foo.bar', instance: undefined, template: false, suffix: 'service' }],
    ['dev-sda.device', { prefix: 'dev-sda', instance: undefined, template: false, suffix: 'device' }],
    ['a\\x2db:c_d.mount', { prefix: 'a\\x2db:c_d', instance: undefined, template: false, suffix: 'mount' }],
    ['x.socket', { prefix: 'x', instance: undefined, template: false, suffix: 'socket' }],
    ['foo.timer', { prefix: 'foo', instance: undefined, template: false, suffix: 'timer' }],
    ['-.slice', { prefix: '-', instance: undefined, template: false, suffix: 'slice' }],
    ['foo', undefined],
    ['foo.', undefined],
    ['.service', undefined],
    ['foo.waldo', undefined],
    ['foo.Service', undefined],
    ['@.service', undefined],
    ['@piep.service', undefined],
    ['foo bar.service', undefined],
    ['foo/bar.service', undefined],
    ['f\u00f6\u00f6.service', undefined],
    ['', undefined],
    [`${'a'.repeat(247)}.service`, { prefix: 'a'.repeat(247), instance: undefined, template: false, suffix: 'service' }],
    [`${'a'.repeat(248)}.service`, undefined],
  ])('%j', (name, expected) => {
    expect(parseUnitName(name)).toEqual(expected);
  });
});

describe('names and templates', () => {
  test.each<[string, string | undefined, string | undefined]>([
    ['a.service', 'service', undefined],
    ['x@i.service', 'service', 'x@.service'],
    ['x@.service', 'service', undefined],
    ['x@a@b.target', 'target', 'x@.target'],
    ['bad', undefined, undefined],
  ])('%j: suffix %j, template %j', (name, suffix, template) => {
    expect(unitSuffix(name)).toBe(suffix);
    expect(templateOf(name)).toBe(template);
  });

  test.each([
    ['getty@.service', 'tty1', 'getty@tty1.service'],
    ['getty@tty2.service', 'tty1', 'getty@tty1.service'],
    ['foo@.target', 'a@b', 'foo@a@b.target'],
  ])('withInstance(%j, %j) -> %j', (template, instance, expected) => {
    expect(withInstance(template, instance)).toBe(expected);
  });
});

const escapeRows: [string, string][] = [
  ['foo/bar', 'foo-bar'], ['.dot', '\\x2edot'], ['a-b', 'a\\x2db'], ['\u00e9', '\\xc3\\xa9'], ['x y', 'x\\x20y'],
  ['a:b_c.d', 'a:b_c.d'], ['a\\b', 'a\\x5cb'], ['/', '-'], ['//a', '--a'], ['a.', 'a.'], ['@', '\\x40'],
  ['waldi', 'waldi'], ['/waldo/bar/', '-waldo-bar-'], ['a%b', 'a\\x25b'],
];

describe('escaping', () => {
  test.each(escapeRows)('escapeUnitName(%j) -> %j', (s, expected) => {
    expect(escapeUnitName(s)).toBe(expected);
  });

  test.runIf(hasSystemdEscape).each(escapeRows)('%j escapes as systemd-escape does', (s) => {
    expect(escapeUnitName(s)).toBe(systemdEscape('--', s));
  });

  test.each(escapeRows)('%j unescapes back', (s, escaped) => {
    expect(unescapeUnitName(escaped)).toBe(s);
  });

  test.each<[string, string | undefined]>([
    ['a\\x2db-c', 'a-b/c'], ['foo-bar', 'foo/bar'], ['\\xc3\\xa9', '\u00e9'], ['bad\\xZZ', undefined], ['bad\\', undefined],
    ['bad\\y00', undefined], ['\\X41', undefined], ['\\x4', undefined],
  ])('tryUnescapeUnitName(%j) -> %j', (s, expected) => {
    expect(tryUnescapeUnitName(s)).toBe(expected);
  });

  test.runIf(hasSystemdEscape).each(['a\\x2db-c', 'foo-bar', '\\xc3\\xa9', 'bad\\xZZ', 'bad\\y00'])('%j unescapes as systemd-escape --unescape does', (s) => {
    expect(tryUnescapeUnitName(s)).toBe(systemdEscape('--unescape', '--', s));
  });

  test('unescapeUnitName leaves a malformed escape as written', () => {
    expect(unescapeUnitName('bad\\xZZ')).toBe('bad\\xZZ');
  });

  const pathRows: [string, string][] = [['/dev/sda', 'dev-sda'], ['/', '-'], ['/foo//bar/./baz/', 'foo-bar-baz'], ['/a-b', 'a\\x2db'], ['', '-']];
  test.each(pathRows)('escapeUnitPath(%j) -> %j', (p, expected) => {
    expect(escapeUnitPath(p)).toBe(expected);
  });
  test.runIf(hasSystemdEscape).each(pathRows.filter(([p]) => p !== ''))('%j escapes as systemd-escape --path does', (p) => {
    expect(escapeUnitPath(p)).toBe(systemdEscape('--path', '--', p));
  });

  const unpathRows: [string, string | undefined][] = [['dev-sda', '/dev/sda'], ['-', '/'], ['a\\x2db', '/a-b'], ['-foo', undefined], ['foo-', undefined], ['foo--bar', undefined], ['', undefined], ['a-.-b', undefined]];
  test.each(unpathRows)('unescapeUnitPath(%j) -> %j', (s, expected) => {
    expect(unescapeUnitPath(s)).toBe(expected);
  });
  test.runIf(hasSystemdEscape).each(unpathRows.filter(([s]) => s !== ''))('%j unescapes as systemd-escape --unescape --path does', (s) => {
    expect(unescapeUnitPath(s)).toBe(systemdEscape('--unescape', '--path', '--', s));
  });
});

describe('drop-in prefixes', () => {
  test.each<[string, string[]]>([
    ['a-b-c.service', ['a-.service', 'a-b-.service']],
    ['foo.service', []],
    ['foo-.service', []],
    ['a--b.service', ['a-.service', 'a--.service']],
    ['-.slice', []],
    ['a-b@i.service', ['a-@.service', 'a-@i.service', 'a-.service']],
  ])('prefixesOf(%j) -> %j', (name, expected) => {
    expect(prefixesOf(name)).toEqual(expected);
  });

  test.each<[string, string[]]>([
    ['a-b-c.service', ['a-b-c.service', 'a-b-.service', 'a-.service', 'service']],
    ['foo.target', ['foo.target', 'target']],
    ['a-b@i.service', ['a-b@i.service', 'a-b@.service', 'a-.service', 'a-@i.service', 'a-@.service', 'service']],
    ['getty@tty1.service', ['getty@tty1.service', 'getty@.service', 'service']],
  ])('dropInSearchNames(%j) -> %j', (name, expected) => {
    expect(dropInSearchNames(name)).toEqual(expected);
  });
});

/**
 * Which drop-in directory systemd-analyze verify takes "x.conf" from when every directory of
 * `present` holds one: each x.conf sets a key named after its directory, which verify reports.
 */
function systemdDropInWinner(unit: string, present: readonly string[]): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-dropin-'));
  try {
    const fragment = templateOf(unit) ?? unit;
    writeFileSync(join(dir, fragment), '[Service]\nExecStart=/bin/true\n');
    present.forEach((name, i) => {
      mkdirSync(join(dir, `${name}.d`));
      writeFileSync(join(dir, `${name}.d`, 'x.conf'), `[Service]\nDropIn${i}=1\n`);
    });
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', unit], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` },
    });
    const index = /Unknown key 'DropIn(\d+)'/.exec(r.stderr + r.stdout)?.[1];
    return index === undefined ? undefined : present[Number(index)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('drop-in precedence against systemd-analyze verify', () => {
  // The type-level "service" directory would apply to every unit verify loads; it is last anyway.
  test.runIf(hasSystemdAnalyze).each(['a-b-c.service', 'a-b@i.service', 'x-y@a-b.service'])(
    '%s: the most specific directory holding a file wins, in dropInSearchNames() order',
    (unit) => {
      const names = dropInSearchNames(unit).filter((n) => n !== 'service');
      for (let k = 0; k < names.length; k++) {
        expect(systemdDropInWinner(unit, names.slice(k))).toBe(names[k]);
      }
    },
  );
});
