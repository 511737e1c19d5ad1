import { describe, expect, test } from 'vitest';
import { cunescape, extractFirstWord, splitWords, type ExtractFlags } from '../../../src/unit/values/quoting.js';

const none: ExtractFlags = { unquote: false, cunescape: false };

/** Every word extract_first_word() yields, or "EINVAL" when it fails. */
function words(s: string, flags: ExtractFlags): (string | 'EINVAL')[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(s, pos, flags);
    if ('error' in r) return [...out, 'EINVAL'];
    if (r.word === undefined) return out;
    out.push(r.word);
    pos = r.next;
  }
}

// Rows after systemd's test-extract-word.c.
describe('extractFirstWord', () => {
  test.each<[string, ExtractFlags, (string | 'EINVAL')[]]>([
    ['foobar waldo', none, ['foobar', 'waldo']],
    ['"foobar" \'waldo\'', none, ['"foobar"', "'waldo'"]],
    ['"foobar" \'waldo\'', { unquote: true }, ['foobar', 'waldo']],
    ['"', none, ['"']],
    ['"', { unquote: true }, ['EINVAL']],
    ['"', { unquote: true, relax: true }, ['']],
    ["'", { unquote: true }, ['EINVAL']],
    ["'fooo", { unquote: true }, ['EINVAL']],
    ["'fooo", { unquote: true, relax: true }, ['fooo']],
    ['"fooo', { unquote: true, relax: true }, ['fooo']],
    ["yay'foo'bar", { unquote: true }, ['yayfoobar']],
    ["yay'foo'bar", none, ["yay'foo'bar"]],
    ['   foo\\', none, ['EINVAL']],
    ['   foo\\', { relax: true }, ['foo']],
    ['   foo\\', { unescapeRelax: true }, ['foo\\']],
    ['   foo\\', { unescapeRelax: true, relax: true }, ['foo\\']],
    ['fooo\\ bar quux', none, ['fooo bar', 'quux']],
    ['fooo\\ bar quux', { cunescape: true }, ['EINVAL']],
    ['fooo\\ bar quux', { cunescape: true, unescapeRelax: true }, ['fooo\\ bar', 'quux']],
    ['\\w+@\\K[\\d.]+', { cunescape: true, unescapeRelax: true }, ['\\w+@\\K[\\d.]+']],
    ['\\w+\\b', { cunescape: true, unescapeRelax: true }, ['\\w+\b']],
    ['-N \'\'', { unquote: true }, ['-N', '']],
    ['\\x41\\x42', { cunescape: true }, ['AB']],
    ['\\x00', { cunescape: true }, ['EINVAL']],
    ['\\xc3\\xa9t\\xc3\\xa9', { cunescape: true }, ['\u00e9t\u00e9']],
    ['\\u00e9 \\U0001F600', { cunescape: true }, ['\u00e9', '\u{1F600}']],
    ['\\101\\102', { cunescape: true }, ['AB']],
    ['\\400', { cunescape: true }, ['EINVAL']],
    ['a\\sb', { cunescape: true }, ['a b']],
    ['"a\\"b" c', { unquote: true, cunescape: true }, ['a"b', 'c']],
    ["'a\\'b'", { unquote: true }, ["a'b"]],
    ['"a\\nb"', { unquote: true, cunescape: true }, ['a\nb']],
    ['"a\\nb"', { unquote: true }, ['anb']],
    ['foo::bar', { separators: ':' }, ['foo', 'bar']],
    ['foo::bar', { separators: ':', dontCoalesceSeparators: true }, ['foo', '', 'bar']],
    ['foo:', { separators: ':', dontCoalesceSeparators: true }, ['foo', '']],
    [':foo', { separators: ':', dontCoalesceSeparators: true }, ['', 'foo']],
    ['foo\\:bar::waldo', { separators: ':', unescapeSeparators: true }, ['foo:bar', 'waldo']],
    ['a\\\\b', { separators: ':', unescapeSeparators: true }, ['a\\b']],
    ['a\\b', { retainEscape: true }, ['a\\b']],
    ['   ', none, []],
    ['', none, []],
    ['  a  \t b\n', none, ['a', 'b']],
    ['a"b c"d', { unquote: true }, ['ab cd']],
  ])('%j %j -> %j', (input, flags, expected) => {
    expect(words(input, flags)).toEqual(expected);
  });
});

describe('splitWords', () => {
  test.each<[string, string[] | undefined]>([
    ['a b c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a b' \"c d\"", ['a b', 'c d']],
    ['a\\tb', ['a\tb']],
    ['"unbalanced', undefined],
    ['bad\\q', undefined],
    ['', []],
  ])('%j -> %j', (input, expected) => {
    expect(splitWords(input)).toEqual(expected);
  });

  test('relax accepts unbalanced quotes', () => {
    expect(splitWords('"a b', { relax: true })).toEqual(['a b']);
  });

  test('options turn unquoting and unescaping off', () => {
    expect(splitWords('"a b" c\\td', { unquote: false, cunescape: false })).toEqual(['"a', 'b"', 'ctd']);
  });
});

describe('cunescape', () => {
  test.each<[string, string | undefined]>([
    ['abc', 'abc'],
    ['\\a\\b\\f\\n\\r\\t\\v', '\x07\b\f\n\r\t\v'],
    ['\\\\ \\" \\\'', '\\ " \''],
    ['\\s', ' '],
    ['\\x41', 'A'],
    ['\\xC3\\xA9', '\u00e9'],
    ['\\101', 'A'],
    ['\\177', '\x7f'],
    ['\\u00e9', '\u00e9'],
    ['\\U0001f600', '\u{1F600}'],
    ['\\x00', undefined],
    ['\\000', undefined],
    ['\\u0000', undefined],
    ['\\x4', undefined],
    ['\\xZZ', undefined],
    ['\\q', undefined],
    ['\\8', undefined],
    ['trailing\\', undefined],
    ['\\U00110000', undefined],
  ])('%j -> %j', (input, expected) => {
    expect(cunescape(input)).toBe(expected);
  });

  test.each([
    ['\\q', '\\q'],
    ['x\\', 'x\\'],
    ['\\x4g', '\\x4g'],
  ])('relaxed %j -> %j', (input, expected) => {
    expect(cunescape(input, { relax: true })).toBe(expected);
  });
});
