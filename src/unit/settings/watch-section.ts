// [X-Watch]: unitvisor's section for `up --watch` (systemd skips sections named X-…). Paths= globs name
// the files whose changes restart the unit, Ignore= globs exclude some of them; both are relative to the
// unit's working directory, repeatable, and an empty assignment clears the list (a drop-in can replace it).
import { defineSettings, list, type ValueParser } from './define-settings.js';
import { expandedWords } from './value-parsers.js';

export const WATCH_SECTION = 'X-Watch';

/** Globs as written (specifiers expanded, quotes removed). */
const globs: ValueParser<readonly string[]> = (value, ctx) => expandedWords(value, ctx);

export const watchSettings = defineSettings(WATCH_SECTION, {
  Paths: list('service', 'watchPaths', globs),
  Ignore: list('service', 'watchIgnore', globs),
});
