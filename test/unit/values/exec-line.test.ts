import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../../src/unit/diagnostic.js';
import type { ExecCommand } from '../../../src/unit/model.js';
import { expandSpecifiers, type SpecifierContext } from '../../../src/unit/specifiers.js';
import { expandExecArgv, formatExecCommandForShow, parseExecLine, type ExecWordExpander } from '../../../src/unit/values/exec-line.js';
import { systemdTool, systemdVerify } from '../../helpers/systemd.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');

const parse = (value: string) => parseExecLine(value, 'a.service', 3);
const argvs = (value: string) => parse(value).commands.map((c) => [c.path, ...c.argv]);

describe('parseExecLine: commands', () => {
  test.each<[string, string[][]]>([
    ['/bin/true', [['/bin/true', '/bin/true']]],
    ['/bin/echo a b  c', [['/bin/echo', '/bin/echo', 'a', 'b', 'c']]],
    ['/bin/echo "a b" \'c d\'', [['/bin/echo', '/bin/echo', 'a b', 'c d']]],
    ['/bin/echo a\\tb \\x41', [['/bin/echo', '/bin/echo', 'a\tb', 'A']]],
    ['/bin/echo "a\\"b"', [['/bin/echo', '/bin/echo', 'a"b']]],
    ['@/bin/sleep mysleep 10', [['/bin/sleep', 'mysleep', '10']]],
    ['sleep 1', [['sleep', 'sleep', '1']]],
    ['/bin/echo a ; /bin/echo b', [['/bin/echo', '/bin/echo', 'a'], ['/bin/echo', '/bin/echo', 'b']]],
    ['/bin/echo a;b', [['/bin/echo', '/bin/echo', 'a;b']]],
    ['/bin/echo a \\; b', [['/bin/echo', '/bin/echo', 'a', ';', 'b']]],
    ['/bin/echo a \\;', [['/bin/echo', '/bin/echo', 'a', ';']]],
    ['/bin/echo a "\\;"', [['/bin/echo', '/bin/echo', 'a', '\\;']]],
    ['/bin/echo a ";"', [['/bin/echo', '/bin/echo', 'a', ';']]],
    ['/bin/echo ; ; /bin/true', [['/bin/echo', '/bin/echo'], ['/bin/true', '/bin/true']]],
    ['/bin/true ;', [['/bin/true', '/bin/true']]],
    [';', []],
    ['//bin//./true', [['/bin/true', '//bin//./true']]],
    ['/bin/e"ch"o x', [['/bin/echo', '/bin/echo', 'x']]],
    ['/bin/echo $FOO ${BAR}', [['/bin/echo', '/bin/echo', '$FOO', '${BAR}']]],
    ['/bin/echo \\q', [['/bin/echo', '/bin/echo', '\\q']]],
  ])('%j', (value, expected) => {
    expect(argvs(value)).toEqual(expected);
  });

  test.each<[string, Partial<ExecCommand>]>([
    ['-/bin/false', { ignoreFailure: true }],
    [':/bin/true', { noEnvExpand: true }],
    ['+/bin/true', { fullPrivileges: true }],
    ['!/bin/true', { privilegesMode: 'ambient' }],
    ['!!/bin/true', { privilegesMode: 'ambient-fallback' }],
    ['-:+@/bin/true x', { ignoreFailure: true, noEnvExpand: true, fullPrivileges: true, argv: ['x'] }],
    ['@-/bin/true x', { ignoreFailure: true, argv: ['x'] }],
    ['!!-/bin/true', { ignoreFailure: true, privilegesMode: 'ambient-fallback', fullPrivileges: false }],
    ['/bin/true', { ignoreFailure: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal', file: 'a.service', line: 3 }],
  ])('prefixes of %j', (value, expected) => {
    const [cmd] = parse(value).commands;
    expect(cmd).toMatchObject(expected);
  });
});

// Bad lines: systemd 252's words, its log severity, and whether it refuses the setting.
const badRows: [string, string, 'error' | 'warning', boolean][] = [
  ['-', "Empty path in command line, ignoring: '-'", 'warning', false],
  ['@', "Empty path in command line: '@'", 'error', true],
  ['@/bin/true', 'Empty executable name or zeroeth argument: @/bin/true', 'error', true],
  ['foo/bar', 'Neither a valid executable name nor an absolute path: foo/bar', 'error', true],
  ['-foo/bar', 'Neither a valid executable name nor an absolute path, ignoring: foo/bar', 'warning', false],
  ['./foo', 'Neither a valid executable name nor an absolute path: ./foo', 'error', true],
  ['/bin/', 'Executable path specifies a directory: /bin/', 'error', true],
  ['"unbalanced', 'Unbalanced quoting, ignoring: ""unbalanced"', 'error', false],
  ['/bin/echo "unbalanced', 'Unbalanced quoting, ignoring: "/bin/echo "unbalanced"', 'error', true],
  ['-/bin/echo "unbalanced', 'Unbalanced quoting, ignoring: "-/bin/echo "unbalanced"', 'error', false],
  ['/bin/echo \\q', 'Ignoring unknown escape sequences: "\\q"', 'warning', false],
  ['/bin/echo a ; foo/bar', 'Neither a valid executable name nor an absolute path: foo/bar', 'error', true],
  ['+!/bin/true', 'Neither a valid executable name nor an absolute path: !/bin/true', 'error', true],
  ['!!+/bin/true', 'Neither a valid executable name nor an absolute path: +/bin/true', 'error', true],
  ['--/bin/true', 'Neither a valid executable name nor an absolute path, ignoring: -/bin/true', 'warning', false],
  ["/bin/ec'ho", 'Unbalanced quoting, ignoring: "/bin/ec\'ho"', 'error', false],
  ['/bin/ec\\"ho', 'Executable name contains special characters: /bin/ec"ho', 'error', true],
];

describe('parseExecLine: bad lines', () => {
  test.each(badRows)('%j', (value, message, severity, fatal) => {
    const r = parse(value);
    expect(r.diagnostics.map((d) => [formatDiagnostic(d), d.severity])).toEqual([[`a.service:3: ${message}`, severity]]);
    expect(r.fatal).toBe(fatal);
  });

  test.runIf(hasSystemdAnalyze).each(badRows)('%j: same words as systemd-analyze verify', (value, message) => {
    const lines = systemdVerify('a.service', `[Unit]\nDescription=x\n[Service]\nType=oneshot\nExecStart=${value}\nExecStart=/bin/true\n`);
    expect(lines).toContain(`a.service:5: ${message}`);
  });

  test('commands before a bad one are kept', () => {
    const r = parse('/bin/echo a ; foo/bar');
    expect(r.commands.map((c) => c.argv)).toEqual([['/bin/echo', 'a']]);
  });
});

describe('parseExecLine: specifiers word by word', () => {
  const ctx = { unitName: 'my unit@x.service', hostname: 'h' } as unknown as SpecifierContext;
  const expand: ExecWordExpander = (word) => expandSpecifiers(word, ctx);
  const run = (value: string) => parseExecLine(value, 'a.service', 3, { expand });

  test('a value with spaces stays one word, quotes in it are not re-read', () => {
    expect(run('/bin/echo %n "%H\'s"').commands.map((c) => c.argv)).toEqual([['/bin/echo', 'my unit@x.service', "h's"]]);
  });

  test('the path is expanded too', () => {
    expect(run('/opt/%H/bin x').commands.map((c) => [c.path, ...c.argv])).toEqual([['/opt/h/bin', '/opt/h/bin', 'x']]);
  });

  // Rows checked against systemd-analyze verify (252).
  test.each<[string, string, 'error' | 'warning', boolean]>([
    ['/bin/%Z x', "Failed to resolve unit specifiers in '/bin/%Z': Invalid slot", 'error', true],
    ['-/bin/%Z x', "Failed to resolve unit specifiers in '/bin/%Z', ignoring: Invalid slot", 'warning', false],
    ['/bin/echo %Z', 'Failed to resolve unit specifiers in %Z: Invalid slot', 'error', true],
    ['-/bin/echo %Z', 'Failed to resolve unit specifiers in %Z, ignoring: Invalid slot', 'warning', false],
    ['@/bin/echo %Z', 'Failed to resolve unit specifiers in %Z: Invalid slot', 'error', true],
  ])('%j', (value, message, severity, fatal) => {
    const r = run(value);
    expect(r.diagnostics.map((d) => [formatDiagnostic(d), d.severity])).toEqual([[`a.service:3: ${message}`, severity]]);
    expect(r.fatal).toBe(fatal);
    expect(r.commands).toEqual([]);
  });

  test.runIf(hasSystemdAnalyze).each(['/bin/%Z x', '-/bin/%Z x', '/bin/echo %Z', '-/bin/echo %Z'])('%j: systemd-analyze verify agrees', (value) => {
    const lines = systemdVerify('a.service', `[Service]\nType=oneshot\nExecStart=${value}\nExecStart=/bin/true\n`);
    expect(lines).toEqual(run(value).diagnostics.map((d) => formatDiagnostic({ ...d, line: 3 })));
  });
});

const cmd = (argv: string[], noEnvExpand = false): ExecCommand => ({
  path: argv[0] ?? '',
  argv,
  ignoreFailure: false,
  noEnvExpand,
  fullPrivileges: false,
  privilegesMode: 'normal',
  file: 'a.service',
  line: 1,
});

describe('expandExecArgv', () => {
  const env = new Map([
    ['FOO', 'a b  c'],
    ['ONE', 'one'],
    ['EMPTY', ''],
    ['Q', 'x "y z"'],
  ]);
  test.each<[string[], string[]]>([
    [['/bin/echo', '$FOO'], ['/bin/echo', 'a', 'b', 'c']],
    [['/bin/echo', '${FOO}'], ['/bin/echo', 'a b  c']],
    [['/bin/echo', 'x${ONE}y'], ['/bin/echo', 'xoney']],
    [['/bin/echo', '$EMPTY'], ['/bin/echo']],
    [['/bin/echo', '$UNSET'], ['/bin/echo']],
    [['/bin/echo', '${UNSET}'], ['/bin/echo', '']],
    [['/bin/echo', 'a${UNSET}b'], ['/bin/echo', 'ab']],
    [['/bin/echo', '$$ONE'], ['/bin/echo', '$ONE']],
    [['/bin/echo', 'a$$b'], ['/bin/echo', 'a$b']],
    [['/bin/echo', 'x$ONE'], ['/bin/echo', 'x$ONE']],
    [['/bin/echo', '$ONE/x'], ['/bin/echo']],
    [['/bin/echo', '$Q'], ['/bin/echo', 'x', 'y z']],
    [['/bin/echo', '${ONE:-d}'], ['/bin/echo', '${ONE:-d}']],
    [['/bin/echo', '${ONE'], ['/bin/echo', '${ONE']],
    [['/bin/echo', '${ONE:x}${ONE}'], ['/bin/echo', '${ONE:x}one']],
    [['$ONE', 'x'], ['one', 'x']],
  ])('%j', (argv, expected) => {
    expect(expandExecArgv(cmd(argv), env)).toEqual(expected);
  });

  test('":" turns expansion off', () => {
    expect(expandExecArgv(cmd(['/bin/echo', '$FOO', '${ONE}', '$$'], true), env)).toEqual(['/bin/echo', '$FOO', '${ONE}', '$$']);
  });
});

describe('formatExecCommandForShow', () => {
  test('a command that never ran', () => {
    const [c] = parse('/bin/true new').commands;
    expect(formatExecCommandForShow(c as ExecCommand)).toBe(
      '{ path=/bin/true ; argv[]=/bin/true new ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }',
    );
  });

  test('@ and - show the real path and ignore_errors', () => {
    const [c] = parse('-@/bin/sleep mysleep 5').commands;
    expect(formatExecCommandForShow(c as ExecCommand)).toMatch(/^\{ path=\/bin\/sleep ; argv\[\]=mysleep 5 ; ignore_errors=yes ; /);
  });

  test.each([
    ['exited', '0', 'code=exited ; status=0 }'],
    ['exited', '3', 'code=exited ; status=3 }'],
    ['killed', '15', 'code=killed ; status=15/TERM }'],
    ['dumped', '6', 'code=dumped ; status=6/ABRT }'],
    ['killed', 'SIGKILL', 'code=killed ; status=9/KILL }'],
    ['killed', 'TERM', 'code=killed ; status=15/TERM }'],
  ])('code=%s status=%s', (code, status, tail) => {
    const [c] = parse('/bin/true').commands;
    const shown = formatExecCommandForShow(c as ExecCommand, { pid: 42, startWallMs: 1_700_000_000_000, stopWallMs: 1_700_000_001_000, code, status });
    expect(shown.endsWith(`pid=42 ; ${tail}`)).toBe(true);
    expect(shown).toMatch(/start_time=\[\w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+\] ; stop_time=\[\w{3} /);
  });
});
