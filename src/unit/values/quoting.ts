// Word splitting and C escapes as systemd's extract_first_word() and cunescape() (systemd.syntax(7) "Quoting").

export const WHITESPACE = ' \t\n\r';

/** extract_first_word()'s flags, by systemd's names. */
export interface ExtractFlags {
  /** EXTRACT_UNQUOTE: '…' and "…" group and are removed. */
  readonly unquote?: boolean;
  /** EXTRACT_CUNESCAPE: C escapes (\n, \x41, \u00e9, …) are decoded. */
  readonly cunescape?: boolean;
  /** EXTRACT_RELAX: unbalanced quotes and a trailing backslash are accepted. */
  readonly relax?: boolean;
  /** EXTRACT_UNESCAPE_RELAX: unknown escapes are kept verbatim, backslash included. */
  readonly unescapeRelax?: boolean;
  /** EXTRACT_UNESCAPE_SEPARATORS: "\<separator>" and "\\" stand for themselves. */
  readonly unescapeSeparators?: boolean;
  /** EXTRACT_RETAIN_ESCAPE: backslashes are ordinary characters. */
  readonly retainEscape?: boolean;
  /** EXTRACT_DONT_COALESCE_SEPARATORS: each separator ends a word, so empty words appear. */
  readonly dontCoalesceSeparators?: boolean;
  /** Separator characters; whitespace unless given. */
  readonly separators?: string;
}

/** Builds a word from characters and raw bytes ("\xc3\xa9" is one UTF-8 character). */
class WordBuilder {
  private text = '';
  private bytes: number[] = [];
  push(chars: string): void {
    this.flush();
    this.text += chars;
  }
  pushByte(b: number): void {
    this.bytes.push(b);
  }
  result(): string {
    this.flush();
    return this.text;
  }
  private flush(): void {
    if (this.bytes.length === 0) return;
    this.text += new TextDecoder().decode(new Uint8Array(this.bytes));
    this.bytes = [];
  }
}

const hexValue = (c: string | undefined): number => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1);
const octValue = (c: string | undefined): number => (c !== undefined && /^[0-7]$/.test(c) ? parseInt(c, 8) : -1);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ',
};

/** One escape after a backslash, as cunescape_one(): its length and what it stands for. */
export function cunescapeOne(s: string, i: number): { length: number; char?: string; byte?: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { length: 1, char: simple };
  if (c === 'x') {
    const a = hexValue(s[i + 1]);
    const b = hexValue(s[i + 2]);
    if (a < 0 || b < 0 || (a === 0 && b === 0)) return undefined; // no NUL bytes
    return { length: 3, byte: (a << 4) | b };
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    let code = 0;
    for (let k = 1; k <= n; k++) {
      const h = hexValue(s[i + k]);
      if (h < 0) return undefined;
      code = code * 16 + h;
    }
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    return { length: n + 1, char: String.fromCodePoint(code) };
  }
  const a = octValue(c);
  if (a >= 0) {
    const b = octValue(s[i + 1]);
    const d = octValue(s[i + 2]);
    if (b < 0 || d < 0) return undefined;
    const m = (a << 6) | (b << 3) | d;
    if (m === 0 || m > 255) return undefined;
    return { length: 3, byte: m };
  }
  return undefined;
}

/** cunescape(): decodes every C escape; undefined on an unknown escape or a trailing backslash. */
export function cunescape(s: string, opts: { relax?: boolean } = {}): string | undefined {
  const out = new WordBuilder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out.push(c);
      continue;
    }
    if (i + 1 >= s.length) {
      if (!opts.relax) return undefined;
      out.push('\\');
      continue;
    }
    const e = cunescapeOne(s, i + 1);
    if (e === undefined) {
      if (!opts.relax) return undefined;
      out.push('\\' + s[i + 1]);
      i++;
      continue;
    }
    if (e.byte !== undefined) out.pushByte(e.byte);
    else out.push(e.char ?? '');
    i += e.length;
  }
  return out.result();
}

export type ExtractResult = { word: string; next: number } | { word: undefined; next: number } | { error: 'EINVAL'; next: number };

/**
 * extract_first_word(): the next word of `s` from index `pos`. `word` is undefined at the end of
 * input; `error` marks bad quoting or a bad escape (where `next` points at the problem).
 */
export function extractFirstWord(s: string, pos: number, flags: ExtractFlags = {}): ExtractResult {
  const seps = flags.separators ?? WHITESPACE;
  const isSep = (c: string) => seps.includes(c);
  // Past the end means the input was used up (systemd's *p == NULL).
  if (pos > s.length) return { word: undefined, next: pos };
  let i = pos;
  const out = new WordBuilder();
  // Skip leading separators; with DONT_COALESCE a separator right here makes an empty word.
  for (;; i++) {
    const c = s[i];
    if (c === undefined) return flags.dontCoalesceSeparators ? { word: '', next: i + 1 } : { word: undefined, next: i + 1 };
    if (!isSep(c)) break;
    if (flags.dontCoalesceSeparators) return { word: '', next: i + 1 };
  }
  let quote: string | undefined;
  for (;;) {
    const c = s[i];
    if (quote === undefined) {
      if (c === undefined) return { word: out.result(), next: i + 1 };
      if ((c === "'" || c === '"') && flags.unquote) {
        quote = c;
        i++;
        continue;
      }
      if (c === '\\' && !flags.retainEscape) {
        const r = escapeAfterBackslash(s, i + 1, flags, false, out);
        if ('error' in r) return { error: 'EINVAL', next: r.next };
        if (r.done) return { word: out.result(), next: r.next };
        i = r.next;
        continue;
      }
      if (isSep(c)) {
        if (flags.dontCoalesceSeparators) return { word: out.result(), next: i + 1 };
        let j = i;
        while (j < s.length && isSep(s[j] as string)) j++;
        return { word: out.result(), next: j === s.length ? j + 1 : j };
      }
      out.push(c);
      i++;
    } else {
      if (c === undefined) {
        if (flags.relax) return { word: out.result(), next: i + 1 };
        return { error: 'EINVAL', next: i };
      }
      if (c === quote) {
        quote = undefined;
        if (!flags.unquote) out.push(c);
        i++;
        continue;
      }
      if (c === '\\' && !flags.retainEscape) {
        const r = escapeAfterBackslash(s, i + 1, flags, true, out);
        if ('error' in r) return { error: 'EINVAL', next: r.next };
        if (r.done) return { word: out.result(), next: r.next };
        i = r.next;
        continue;
      }
      out.push(c);
      i++;
    }
  }
}

/** The character(s) after a backslash inside or outside quotes. */
function escapeAfterBackslash(
  s: string,
  i: number,
  flags: ExtractFlags,
  quoted: boolean,
  out: WordBuilder,
): { next: number; done?: boolean } | { error: true; next: number } {
  const c = s[i];
  if (c === undefined) {
    if (flags.unescapeRelax && (!quoted || flags.relax)) {
      out.push('\\');
      return { next: i + 1, done: true };
    }
    if (flags.relax) return { next: i + 1, done: true };
    return { error: true, next: i };
  }
  if (flags.cunescape || flags.unescapeSeparators) {
    const e = flags.cunescape ? cunescapeOne(s, i) : undefined;
    if (e !== undefined) {
      if (e.byte !== undefined) out.pushByte(e.byte);
      else out.push(e.char ?? '');
      return { next: i + e.length };
    }
    const seps = flags.separators ?? WHITESPACE;
    if (flags.unescapeSeparators && (seps.includes(c) || c === '\\')) out.push(c);
    else if (flags.unescapeRelax) out.push('\\' + c);
    else return { error: true, next: i };
    return { next: i + 1 };
  }
  out.push(c);
  return { next: i + 1 };
}

/**
 * Every word of `s` (extract_first_word() in a loop); undefined on bad quoting or escapes.
 * Unquoting and C unescaping are on unless turned off, as most unit settings parse lists.
 */
export function splitWords(
  s: string,
  opts: { unquote?: boolean; cunescape?: boolean; relax?: boolean } & ExtractFlags = {},
): string[] | undefined {
  const flags: ExtractFlags = { ...opts, unquote: opts.unquote ?? true, cunescape: opts.cunescape ?? true };
  const words: string[] = [];
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(s, pos, flags);
    if ('error' in r) return undefined;
    if (r.word === undefined) return words;
    words.push(r.word);
    pos = r.next;
  }
}
