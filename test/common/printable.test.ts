// journalctl's rule for what reaches the terminal: printable UTF-8 as is, anything else "[N blob data]".
import { describe, expect, test } from 'vitest';
import { escapeControls, formatBytes, printableMessage } from '../../src/common/printable.js';

describe('printableMessage', () => {
  test.each([
    ['plain text', 'hello world', 'hello world'],
    ['tabs and UTF-8 stay', 'a\tb é ✓', 'a\tb é ✓'],
    ['an OSC title sequence', '\x1b]0;PWNED\x07hello', '[15B blob data]'],
    ['a colour sequence', '\x1b[31mred\x1b[0m', '[12B blob data]'],
    ['a carriage return', 'progress\r100%', '[13B blob data]'],
    ['DEL', 'a\x7f', '[2B blob data]'],
    ['a C1 control (CSI)', 'a\u009b2J', '[5B blob data]'],
    ['invalid UTF-8, decoded as U+FFFD', Buffer.from([0x61, 0xff]).toString('utf8'), '[4B blob data]'],
  ])('%s', (_name, input, expected) => {
    expect(printableMessage(input)).toBe(expected);
  });
});

describe('formatBytes (format_bytes())', () => {
  test.each([
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1.0K'],
    [49152, '48.0K'],
    [1536, '1.5K'],
    [5 * 1024 * 1024 + 300 * 1024, '5.2M'],
  ])('%d → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('escapeControls (cescape() of control characters)', () => {
  test.each([
    ['/usr/bin/printf \x1b]0;PWNED\x07', '/usr/bin/printf \\x1b]0;PWNED\\a'],
    ['a\tb\nc', 'a\\tb\\nc'],
    ['é ✓ plain', 'é ✓ plain'],
  ])('%j', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });
});
