// Names typed on the command line, mangled as systemctl mangles them: against systemd-escape --mangle
// (the same unit_name_mangle_with_suffix() without globs), and the glob mode that systemctl's verbs use
// as systemd 252 showed it (test/fixtures/oracle/unit-name-mangling.txt).
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mangleUnitName } from '../../src/unit/unit-name-mangle.js';
import { isValidUnitName } from '../../src/unit/unit-name.js';
import { expectSameAsSystemd, systemdTool } from '../helpers/systemd.js';

const INPUTS = [
  'a', 'a.service', 'a b', 'a@', 'x.foo', 'foo@bar', '/etc', '/dev/null', '/sys/class/net', '/run/x y', 'é', '.hidden', 'x/y', 'a*', 'a[',
  '/dev/../x', 'multi-user', 'a.service.d', 'a-b\\x', '/', '//etc//', 'a.target', 'tab\there', 'x'.repeat(300), '', '@x', 'x@y@z', '/dev/', '/dev//', '/dev//x', '/sys/', '/dev/.', '/dev/./x', '//dev/x', '/devx/y', '/dev/x/', '-',
];

const ours = (name: string) => {
  const r = mangleUnitName(name, false);
  return r.ok ? r.name : undefined;
};

describe.skipIf(!systemdTool('systemd-escape'))('as systemd-escape --mangle', () => {
  test('the same name, or the same refusal, for each input', () => {
    const theirs = (name: string) => {
      const r = spawnSync('systemd-escape', ['--mangle', '--', name], { encoding: 'utf8' });
      return r.status === 0 ? r.stdout.trimEnd() : undefined;
    };
    expectSameAsSystemd(INPUTS, ours, theirs);
  });
});

test('glob mode keeps patterns, escapes what no pattern may hold, and says so (systemctl 252)', () => {
  expect(mangleUnitName('a*', true)).toEqual({ ok: true, name: 'a*' });
  expect(mangleUnitName('sys*', true)).toEqual({ ok: true, name: 'sys*' });
  expect(mangleUnitName('a', true)).toEqual({ ok: true, name: 'a.service' });
  expect(mangleUnitName('a b', true)).toEqual({ ok: true, name: 'a\\x20b.service', warning: 'Invalid unit name "a b" escaped as "a\\x20b" (maybe you should use systemd-escape?).' });
  expect(mangleUnitName('/dev/../x', true)).toEqual({ ok: true, name: '-dev-..-x.service', warning: 'Invalid unit name "/dev/../x" escaped as "-dev-..-x" (maybe you should use systemd-escape?).' });
  expect(mangleUnitName('x/y', true)).toMatchObject({ name: 'x-y.service' });
  expect(mangleUnitName('é', true)).toMatchObject({ name: '\\xc3\\xa9.service' });
  expect(mangleUnitName('', true)).toEqual({ ok: false });
});

test('without globs a pattern is escaped with a notice', () => {
  expect(mangleUnitName('a*', false)).toEqual({ ok: true, name: 'a\\x2a.service', warning: 'Invalid unit name "a*" escaped as "a\\x2a".' });
});

test('any string: a valid unit name or a refusal, never an exception', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = mangleUnitName(s, false);
      expect(!r.ok || isValidUnitName(r.name)).toBe(true);
    }),
  );
});
