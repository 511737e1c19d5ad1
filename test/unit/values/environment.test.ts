import { describe, expect, test } from 'vitest';
import {
  formatEnvironmentForShow,
  isValidEnvName,
  parseEnvironmentFile,
  parseEnvironmentLine,
  shellMaybeQuote,
} from '../../../src/unit/values/environment.js';
import { systemdTool, systemdVerify } from '../../helpers/systemd.js';

const hasSystemdAnalyze = systemdTool('systemd-analyze');

describe('isValidEnvName', () => {
  test.each<[string, boolean]>([
    ['A', true], ['_', true], ['a_b9', true], ['PATH', true], ['', false], ['9A', false], ['A-B', false],
    ['A B', false], ['A.B', false], ['export A', false], ['\u00e9', false],
  ])('%j -> %s', (name, ok) => {
    expect(isValidEnvName(name)).toBe(ok);
  });
});

// Environment= values and what systemd keeps of them.
const lineRows: [string, string[], string[]][] = [
  ['A=1', ['A=1'], []],
  ['A=1 B=2', ['A=1', 'B=2'], []],
  ['"A=1" "B=two words"', ['A=1', 'B=two words'], []],
  ["'C=x y' D=\\x41", ['C=x y', 'D=A'], []],
  ['A="quoted in the middle"', ['A=quoted in the middle'], []],
  ['A=1 A=2', ['A=2'], []],
  ['A=1 B=2 A=3', ['A=3', 'B=2'], []],
  ['A= B=', ['A=', 'B='], []],
  ['A=a=b', ['A=a=b'], []],
  ['A=\\n', ['A=\n'], []],
  ['NOEQUALS A=1', ['A=1'], ['NOEQUALS']],
  ['9A=1', [], ['9A=1']],
  ['=1', [], ['=1']],
  ['A-B=1 C=2', ['C=2'], ['A-B=1']],
  ['', [], []],
];

describe('parseEnvironmentLine', () => {
  test.each(lineRows)('%j', (value, assignments, invalid) => {
    expect(parseEnvironmentLine(value)).toEqual({ assignments, invalid, syntaxError: false });
  });

  test.each([
    ['A=1 "B=2', ['A=1']],
    ['"A=1', []],
    ['A=1 B=\\q', ['A=1']],
  ])('bad quoting in %j ignores the rest of the line', (value, assignments) => {
    expect(parseEnvironmentLine(value)).toEqual({ assignments, invalid: [value], syntaxError: true });
  });

  test.runIf(hasSystemdAnalyze).each(lineRows.filter(([, , invalid]) => invalid.length > 0))(
    '%j: systemd-analyze verify warns about the same assignments',
    (value, _assignments, invalid) => {
      const lines = systemdVerify('a.service', `[Service]\nExecStart=/bin/true\nEnvironment=${value}\n`);
      expect(lines).toEqual(invalid.map((a) => `a.service:3: Invalid environment assignment, ignoring: ${a}`));
    },
  );

  test.runIf(hasSystemdAnalyze)('systemd-analyze verify words bad quoting the same way', () => {
    expect(systemdVerify('a.service', '[Service]\nExecStart=/bin/true\nEnvironment=A=1 "B=2\n')).toEqual([
      'a.service:3: Invalid syntax, ignoring: A=1 "B=2',
    ]);
  });
});

// Rows from systemd's test-env-file.c.
describe('parseEnvironmentFile', () => {
  test.each<[string, string, string[]]>([
    [
      'env_file_1',
      'a=a\nb=b\\\nc\nd= d\\\ne  \\\nf  \ng=g\\ \nh= \u0105\u0119\u00f3\u0142\\ \u015b\u0107\u0144\u017a\u017c\u03bc \ni=i\\',
      ['a=a', 'b=bc', 'd=de  f', 'g=g ', 'h=\u0105\u0119\u00f3\u0142 \u015b\u0107\u0144\u017a\u017c\u03bc', 'i=i'],
    ],
    ['env_file_2', 'a=a\\\n', ['a=a']],
    [
      'env_file_3',
      '#SPAMD_ARGS="-d --socketpath=/var/lib/bulwark/spamd \\\n#--nouser-config                                     \\\n#-H /var/lib/bulwark/spamd/spamd.sock\\\n#-u bulwark -g bulwark"\n',
      [],
    ],
    [
      'env_file_4',
      '# Generated\n\nHWMON_MODULES="coretemp f71882fg"\n\n# For compatibility reasons\n\nMODULE_0=coretemp\nMODULE_1=f71882fg',
      ['HWMON_MODULES=coretemp f71882fg', 'MODULE_0=coretemp', 'MODULE_1=f71882fg'],
    ],
    ['env_file_5', 'a=\nb=', ['a=', 'b=']],
    [
      'env_file_6',
      "a=\\ \\n \\t \\x \\y \\' \nb= \\$'                                  \nc= ' \\n\\t\\$\\`\\\\\n'   \nd= \" \\n\\t\\$\\`\\\\\n\"   \n",
      ["a= n t x y '", "b=$'", 'c= \\n\\t\\$\\`\\\\\n', 'd= \\n\\t$`\\\n'],
    ],
    ['whitespace around =', '  A  =  1  \n', ['A=1']],
    ['semicolon comment', '; c\nA=1 ; not a comment\n', ['A=1 ; not a comment']],
    ['quotes join with what follows', 'A="x"y\nB=\'a\' "b"\n', ['A=xy', 'B=ab']],
    ['quotes only at the start', 'A=x"y z"\n', ['A=x"y z"']],
    ['repeated name keeps its place and last value', 'A=1\nB=2\nA=3\n', ['A=3', 'B=2']],
    ['key without = is dropped', 'JUSTKEY\nA=1\n', ['A=1']],
    ['CRLF', 'A=1\r\nB=2\r\n', ['A=1', 'B=2']],
    ['comment continued by a backslash swallows the next line (systemd 252)', '# c \\\nA=1\nB=2\n', ['B=2']],
    ['multi-line double quotes', 'A="line1\nline2"\n', ['A=line1\nline2']],
    ['escaped newline in double quotes', 'A="a\\\nb"\n', ['A=ab']],
  ])('%s', (_name, text, assignments) => {
    expect(parseEnvironmentFile(text)).toEqual({ assignments, invalid: [] });
  });

  test.each<[string, string[], string[]]>([
    ['export A=1\nB=2\n', ['B=2'], ['export A=1']],
    ['9X=1\nA B=2\nC=3\n', ['C=3'], ['9X=1', 'A B=2']],
    ['=x\n', [], []],
  ])('invalid names in %j', (text, assignments, invalid) => {
    expect(parseEnvironmentFile(text)).toEqual({ assignments, invalid });
  });
});

describe('formatEnvironmentForShow', () => {
  test.each<[string[], string]>([
    [['A=3', 'B=two words'], 'A=3 "B=two words"'],
    [['A=1'], 'A=1'],
    [[], ''],
    [['A='], 'A='],
    [['A=$HOME'], '"A=\\$HOME"'],
    [['A=x"y'], '"A=x\\"y"'],
    [['A=a\\b'], '"A=a\\\\b"'],
    [['A=*'], '"A=*"'],
    [['A=\u00e9t\u00e9'], 'A=\u00e9t\u00e9'],
    [['A=a\tb'], '"A=a\tb"'],
  ])('%j -> %j', (assignments, expected) => {
    expect(formatEnvironmentForShow(assignments)).toBe(expected);
  });

  test.each([['plain', 'plain'], ["it's", '"it\'s"'], ['a;b', '"a;b"'], ['(x)', '"(x)"'], ['`x`', '"\\`x\\`"']])(
    'shellMaybeQuote(%j) -> %j',
    (s, expected) => {
      expect(shellMaybeQuote(s)).toBe(expected);
    },
  );
});
