// Any input to the unit-file parsers gives a value or `file:line` diagnostics: never an exception or a
// hang; and what systemd prints parses back to the same value (parse → print → parse).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseSyntax } from '../../../src/unit/syntax.js';
import { formatTimespan, parseTimespan } from '../../../src/unit/values/timespan.js';
import { formatEnvironmentForShow, parseEnvironmentFile, parseEnvironmentLine } from '../../../src/unit/values/environment.js';
import { parseExecLine } from '../../../src/unit/values/exec-line.js';
import { cunescape, splitWords } from '../../../src/unit/values/quoting.js';

/** Text that looks like unit files: section headers, assignments, quotes, escapes, continuations, comments. */
const unitish = fc
  .array(fc.oneof(fc.constantFrom('[Unit]', '[Service]', '[X-Foo]', '[', ']', '=', '\\', '\\\n', '"', "'", '#', ';', ' ', '\t', '\n', '\r', '\0', 'ExecStart=', 'Environment=', '$', '%', 'é', '\ufeff'), fc.string({ maxLength: 8 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('never throws, always answers', () => {
  test('parseSyntax: text and raw bytes', () => {
    fc.assert(
      fc.property(fc.oneof(unitish, fc.string({ maxLength: 2000 })), (text) => {
        const lines = text.split(/\r\n|\n|\r|\0/).length;
        const { diagnostics } = parseSyntax(text, '/u/x.service');
        for (const d of diagnostics) {
          expect(d.file).toBe('/u/x.service');
          expect(d.line).toBeGreaterThanOrEqual(0);
          expect(d.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => void parseSyntax(bytes, '/u/x.service')), { numRuns: 1000 });
  });

  test('parseTimespan, parseEnvironmentLine, parseEnvironmentFile, parseExecLine, splitWords, cunescape', () => {
    fc.assert(
      fc.property(fc.oneof(unitish, fc.string({ maxLength: 500 })), (s) => {
        parseTimespan(s);
        parseEnvironmentLine(s);
        parseEnvironmentFile(s);
        splitWords(s);
        splitWords(s, { relax: true });
        cunescape(s);
        const { diagnostics } = parseExecLine(s, '/u/x.service', 7);
        for (const d of diagnostics) expect([d.file, d.line]).toEqual(['/u/x.service', 7]);
      }),
      { numRuns: 3000 },
    );
  });

  test('one line of a megabyte is parsed in bounded time and space', () => {
    const big = `[Service]\nExecStart=/bin/echo ${'a'.repeat(1024 * 1024)}\nEnvironment=${'b'.repeat(512 * 1024)}=1\n`;
    expect(() => parseSyntax(big, '/u/big.service')).not.toThrow();
    expect(parseExecLine(`/bin/echo ${'"x" '.repeat(100_000)}`, '/u/x.service', 1).commands[0]?.argv).toHaveLength(100_001);
  });
});

describe('parse → print → parse', () => {
  test('time spans: what formatTimespan prints parses back to the same microseconds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 0, max: 2 ** 52 })), (usec) => {
        expect(parseTimespan(formatTimespan(usec), 1)).toBe(usec);
      }),
      { numRuns: 3000 },
    );
  });

  test('Environment=: what show prints parses back to the same assignments', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    // Printable ASCII but "\", "$" and "`": shell_maybe_quote() escapes those with a backslash that
    // Environment='s C unescaping refuses, in systemd itself too (`a=\`` prints as "a=\`", which does not load).
    const value = fc.string({ maxLength: 12 }).filter((v) => !/[\\$`]/.test(v) && !/[^\x20-\x7e]/.test(v));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, value), { maxLength: 6, selector: ([n]) => n }), (pairs) => {
        const assignments = pairs.map(([n, v]) => `${n}=${v}`);
        const printed = formatEnvironmentForShow(assignments);
        expect(parseEnvironmentLine(printed).assignments).toEqual(assignments);
      }),
      { numRuns: 2000 },
    );
  });
});
