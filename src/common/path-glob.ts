// Path globs for `[X-Watch] Paths=`/`Ignore=` (as nodemon, process-compose and .gitignore users write them):
// `*` and `?` within one path segment, `[abc]`/`[!abc]` classes, `{a,b}` alternatives, and `**` as a whole
// segment for any number of directories. Patterns and paths are absolute.

export interface Glob {
  readonly pattern: string;
  /** The deepest directory without glob characters: where watching starts. */
  readonly base: string;
  /** Whether the path (a file) matches the whole pattern. */
  matches(path: string): boolean;
  /** Whether a file below this directory could match (directories that cannot are not walked). */
  mayContain(dir: string): boolean;
}

const GLOB_CHARS = /[*?[{]/;

const escapeChar = (c: string) => c.replace(/[.+^${}()|[\]\\*?/]/g, '\\$&');

/** One segment (no "/") as a regular expression source. */
function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    const close = c === '[' ? segment.indexOf(']', i + 2) : c === '{' ? segment.indexOf('}', i + 1) : -1;
    if (c === '\\' && i + 1 < segment.length) out += escapeChar(segment[++i] as string);
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{' && close > 0) {
      out += `(?:${segment.slice(i + 1, close).split(',').map(segmentSource).join('|')})`;
      i = close;
    } else if (c === '[' && close > 0) {
      const body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      out += `[${negated ? '^/' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += escapeChar(c);
  }
  return out;
}

export function compileGlob(pattern: string): Glob {
  const segments = pattern.split('/');
  let source = '^';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') source += last ? '.*' : '(?:[^/]+/)*';
    else source += segmentSource(segment) + (last ? '' : '/');
  });
  const whole = new RegExp(`${source}$`);
  const perSegment = segments.map((s) => (s === '**' ? undefined : new RegExp(`^${segmentSource(s)}$`)));
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const baseSegments = segments.slice(0, firstGlob < 0 ? segments.length - 1 : firstGlob);
  return {
    pattern,
    base: baseSegments.join('/') || '/',
    matches: (path) => whole.test(path),
    mayContain(dir) {
      const parts = dir.split('/');
      for (let i = 0; i < parts.length; i++) {
        const re = perSegment[i];
        if (i < segments.length && re === undefined) return true; // "**": anything below
        if (i >= segments.length - 1 || re === undefined || !re.test(parts[i] as string)) return false;
      }
      return true;
    },
  };
}
