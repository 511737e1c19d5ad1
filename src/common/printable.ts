// What a terminal may be shown of a service's output: journalctl prints a message that is not printable
// UTF-8 (escape sequences, other control characters, invalid UTF-8) as "[N blob data]" (output.c), so
// that a service cannot retitle, recolour or rewrite the user's terminal through `logs` or `status`.

/** C0 controls but tab and newline, DEL and C1 controls (unichar_is_control()), and U+FFFD, which stands for invalid UTF-8. */
const NOT_PRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]/;

const IEC = [
  { suffix: 'E', factor: 1024 ** 6 },
  { suffix: 'P', factor: 1024 ** 5 },
  { suffix: 'T', factor: 1024 ** 4 },
  { suffix: 'G', factor: 1024 ** 3 },
  { suffix: 'M', factor: 1024 ** 2 },
  { suffix: 'K', factor: 1024 },
] as const;

/** systemd's format_bytes(): "12B", "1.0K", "48.0K", "2.3M". */
export function formatBytes(bytes: number): string {
  for (const { suffix, factor } of IEC) {
    if (bytes >= factor) return `${Math.floor(bytes / factor)}.${Math.floor((bytes * 10) / factor) % 10}${suffix}`;
  }
  return `${bytes}B`;
}

export const isPrintable = (text: string): boolean => !NOT_PRINTABLE.test(text);

/** The message as journalctl shows it without --all. */
export function printableMessage(text: string): string {
  return isPrintable(text) ? text : `[${formatBytes(Buffer.byteLength(text, 'utf8'))} blob data]`;
}

const C_ESCAPES: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** cescape() of the control characters only: a command line or status text on one line, without escape sequences. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
