import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/unit/diagnostic.js';
import { LONG_LINE_MAX, parseSyntax } from '../../src/unit/syntax.js';
import { systemdTool, systemdVerify } from '../helpers/systemd.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');

const SECTIONS = ['Unit', 'Service', 'Install'];
const parse = (text: string | Uint8Array) => parseSyntax(text, 'a.service', { sections: SECTIONS });
const entries = (text: string | Uint8Array) =>
  parse(text).sections.flatMap((s) => s.entries.map((e) => [s.name, e.key, e.value, e.line] as const));
const messages = (text: string | Uint8Array) => parse(text).diagnostics.map(formatDiagnostic);

describe('parseSyntax: entries', () => {
  test.each<[string, string, (readonly [string, string, string, number])[]]>([
    ['plain', '[Unit]\nDescription=x\n', [['Unit', 'Description', 'x', 2]]],
    ['whitespace around key and value', '[Unit]\n  Description  =   a b  \t\n', [['Unit', 'Description', 'a b', 2]]],
    ['empty value', '[Unit]\nDescription=\n', [['Unit', 'Description', '', 2]]],
    ['value with =', '[Service]\nEnvironment=A=b=c\n', [['Service', 'Environment', 'A=b=c', 2]]],
    ['# and ; comments', '# c\n; c\n[Unit]\n  # indented\nDescription=x # not a comment\n', [['Unit', 'Description', 'x # not a comment', 5]]],
    ['CRLF', '[Unit]\r\nDescription=x\r\n\r\nDocumentation=y\r\n', [['Unit', 'Description', 'x', 2], ['Unit', 'Documentation', 'y', 4]]],
    ['lone CR ends a line', '[Unit]\rDescription=x\r', [['Unit', 'Description', 'x', 2]]],
    ['LF CR is one line end', '[Unit]\n\rDescription=x\n', [['Unit', 'Description', 'x', 2]]],
    ['NUL ends a line', '[Unit]\nDescription=x\0Documentation=y\n', [['Unit', 'Description', 'x', 2], ['Unit', 'Documentation', 'y', 3]]],
    ['BOM', '\uFEFF[Unit]\nDescription=x\n', [['Unit', 'Description', 'x', 2]]],
    ['continuation', '[Service]\nExecStart=/bin/echo a \\\n  b\n', [['Service', 'ExecStart', '/bin/echo a    b', 3]]],
    ['continuation over three lines', '[Service]\nExecStart=a\\\nb\\\nc\n', [['Service', 'ExecStart', 'a b c', 4]]],
    ['comment inside a continuation is skipped', '[Service]\nExecStart=a \\\n# x\n; y\n b\n', [['Service', 'ExecStart', 'a   b', 5]]],
    ['escaped backslash is no continuation', '[Service]\nExecStart=a \\\\\nb=c\n', [['Service', 'ExecStart', 'a \\\\', 2], ['Service', 'b', 'c', 3]]],
    ['continuation ended by an empty line', '[Service]\nExecStart=a \\\n\nB=c\n', [['Service', 'ExecStart', 'a', 3], ['Service', 'B', 'c', 4]]],
    ['continuation at end of file', '[Service]\nExecStart=a \\', [['Service', 'ExecStart', 'a', 2]]],
    ['continuation into a header line', '[Unit]\nDescription=a \\\n[Service]\n', [['Unit', 'Description', 'a  [Service]', 3]]],
    ['repeated sections kept in order', '[Unit]\nA=1\n[Service]\nB=2\n[Unit]\nC=3\n', [['Unit', 'A', '1', 2], ['Service', 'B', '2', 4], ['Unit', 'C', '3', 6]]],
    ['repeated key kept twice', '[Unit]\nA=1\nA=2\n', [['Unit', 'A', '1', 2], ['Unit', 'A', '2', 3]]],
    ['no final newline', '[Unit]\nDescription=x', [['Unit', 'Description', 'x', 2]]],
    ['tabs', '\t[Unit]\t\n\tDescription\t=\tx\t\n', [['Unit', 'Description', 'x', 2]]],
    ['key with spaces inside', '[Unit]\nA B=c\n', [['Unit', 'A B', 'c', 2]]],
    ['X- section dropped silently', '[X-Foo]\nA=1\n[Unit]\nB=2\n', [['Unit', 'B', '2', 4]]],
    ['unknown section dropped', '[Foo]\nA=1\n[Unit]\nB=2\n', [['Unit', 'B', '2', 4]]],
  ])('%s', (_name, text, expected) => {
    expect(entries(text)).toEqual(expected);
  });

  test('sections carry their header line', () => {
    expect(parse('\n[Unit]\n\n[Service]\n').sections.map((s) => [s.name, s.line])).toEqual([['Unit', 2], ['Service', 4]]);
  });

  test('without a list of sections every section is kept', () => {
    const r = parseSyntax('[Foo]\nA=1\n[X-Bar]\nB=2\n', 'f.conf');
    expect(r.sections.map((s) => s.name)).toEqual(['Foo', 'X-Bar']);
    expect(r.diagnostics).toEqual([]);
  });
});

// Each row: the unit text, and the diagnostics as systemd-analyze verify prints them.
const diagnosticRows: [string, string, string[]][] = [
  ['assignment before any section', 'Foo=bar\n[Unit]\nDescription=x\n', ['a.service:1: Assignment outside of section. Ignoring.']],
  ['missing =', '[Unit]\nDescription=x\nnoequals\n', ["a.service:3: Missing '=', ignoring line."]],
  ['missing key', '[Unit]\n=value\n', ["a.service:2: Missing key name before '=', ignoring line."]],
  ['unknown section', '[Foo]\nA=b\n[Unit]\nDescription=x\n', ["a.service:1: Unknown section 'Foo'. Ignoring."]],
  ['assignments in an ignored section are silent', '[Foo]\nA=b\nnoequals\n', ["a.service:1: Unknown section 'Foo'. Ignoring."]],
  ['X- section', '[X-Foo]\nA=b\n[Unit]\nDescription=x\n', []],
  ['invalid header stops the file', '[Unit]\nDescription=x\n[Service\nnoequals\n', ["a.service:3: Invalid section header '[Service'"]],
  ['header with trailing text', '[Unit] x\nDescription=x\n', ["a.service:1: Invalid section header '[Unit] x'"]],
  ['bad characters in a header', "[Un'it]\nDescription=x\n", ["a.service:1: Bad characters in section header '[Un'it]'"]],
  ['NUL splits a line', '[Unit]\nDescription=x\0y\n', ["a.service:3: Missing '=', ignoring line."]],
  ['error line number of a continuation is its last line', '[Unit]\nfoo \\\nbar\n', ["a.service:3: Missing '=', ignoring line."]],
  ['comment does not end a continuation', '[Unit]\nfoo \\\n# x\nbar\n', ["a.service:4: Missing '=', ignoring line."]],
  ['BOM before a comment', '\uFEFF# c\n[Unit]\nDescription=x\n', ['a.service:1: Assignment outside of section. Ignoring.']],
  ['empty section name', '[]\nA=b\n', ["a.service:1: Unknown section ''. Ignoring."]],
  ['.include is not special', '.include /etc/x.service\n[Unit]\n.include /etc/y\n', ['a.service:1: Assignment outside of section. Ignoring.', "a.service:3: Missing '=', ignoring line."]],
  ['spaces inside brackets are part of the name', '[ Unit ]\nDescription=x\n', ["a.service:1: Unknown section ' Unit '. Ignoring."]],
];

describe('parseSyntax: diagnostics', () => {
  test.each(diagnosticRows)('%s', (_name, text, expected) => {
    expect(messages(text)).toEqual(expected);
  });

  test.runIf(hasSystemdAnalyze).each(diagnosticRows)('%s: same as systemd-analyze verify', (_name, text, expected) => {
    const withService = text.includes('[Service') ? text : `${text}\n[Service]\nExecStart=/bin/true\n`;
    expect(systemdVerify('a.service', withService)).toEqual(expected);
  });

  test('invalid UTF-8 bytes fail the file with systemd words', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('[Unit]\nDescription=x'), 0xff, 0xfe, ...new TextEncoder().encode('y\nA\n')]);
    const r = parse(bytes);
    expect(r.diagnostics).toEqual([
      { file: 'a.service', line: 2, severity: 'error', message: 'String is not UTF-8 clean, ignoring assignment: Description=x\uFFFD\uFFFDy' },
    ]);
  });

  test('valid UTF-8 bytes parse like the text', () => {
    expect(entries(new TextEncoder().encode('[Unit]\nDescription=Caf\u00e9 \u2603\n'))).toEqual([['Unit', 'Description', 'Caf\u00e9 \u2603', 2]]);
  });

  test.runIf(hasSystemdAnalyze)('invalid UTF-8 is refused by systemd too', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('[Unit]\nDescription=x'), 0xff, ...new TextEncoder().encode('\n[Service]\nExecStart=/bin/true\n')]);
    expect(systemdVerify('a.service', bytes)[0]).toMatch(/^a\.service:2: String is not UTF-8 clean, ignoring assignment: Description=x/);
  });

  test('a line longer than LONG_LINE_MAX is an error, not a crash', () => {
    const r = parse(`[Unit]\nDescription=${'x'.repeat(LONG_LINE_MAX)}\nDocumentation=y\n`);
    expect(r.diagnostics).toEqual([{ file: 'a.service', line: 2, severity: 'error', message: 'Line too long' }]);
  });

  test('a continuation longer than LONG_LINE_MAX is an error', () => {
    const half = 'x'.repeat(LONG_LINE_MAX / 2 + 10);
    const r = parse(`[Unit]\nDescription=${half}\\\n${half}\\\n${half}\n`);
    expect(r.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([[3, 'error', 'Continuation line too long']]);
  });

  test('binary garbage yields diagnostics and no crash', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const r = parse(bytes);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
});
