// Read EnvironmentFile= at each start, globs included (systemd.exec(5) EnvironmentFile=; systemd's exec_context_load_environment()).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../common/result.js';
import type { EnvironmentFileRef } from '../unit/model.js';
import { parseEnvironmentFile, replaceEnvAssignment } from '../unit/values/environment.js';
import { readBoundedSync, ReadError } from './bounded-read.js';

export interface LoadedEnvironmentFiles {
  /** "KEY=value", one per name: a later file's assignment replaces an earlier one (strv_env_merge()). */
  readonly assignments: readonly string[];
  /** Lines that were ignored, as "file: line" (systemd ignores them as well). */
  readonly invalid: readonly string[];
}

/** A file that is missing or unreadable without "-": the start fails with Result=resources. */
export interface EnvironmentFileError {
  readonly path: string;
  /** systemd's wording: "Failed to load environment files: No such file or directory". */
  readonly message: string;
}

const GLOB_CHARS = /[*?[]/;

/**
 * Loads every EnvironmentFile= in order; a missing file with "-" (or a glob matching nothing with "-") is
 * skipped. Synchronous, as in systemd's forked child: the spawn that follows needs no await in between.
 * Each file is read non-blocking and at most READ_FULL_BYTES_MAX (readBoundedSync()): a FIFO or
 * /dev/zero fails the start instead of freezing or flooding the supervisor.
 */
export function loadEnvironmentFilesSync(refs: readonly EnvironmentFileRef[]): Result<LoadedEnvironmentFiles, EnvironmentFileError> {
  const assignments: string[] = [];
  const invalid: string[] = [];
  for (const ref of refs) {
    const paths = GLOB_CHARS.test(ref.path) ? expandGlob(ref.path) : [ref.path];
    if (paths.length === 0) {
      if (ref.optional) continue;
      return err({ path: ref.path, message: 'Failed to load environment files: No such file or directory' });
    }
    for (const path of paths) {
      let text: string;
      try {
        text = readBoundedSync(path).text;
      } catch (error) {
        if (!(error instanceof ReadError)) throw error;
        if (ref.optional) continue;
        return err({ path, message: `Failed to load environment files: ${error.message}` });
      }
      const parsed = parseEnvironmentFile(text);
      for (const assignment of parsed.assignments) replaceEnvAssignment(assignments, assignment);
      invalid.push(...parsed.invalid.map((line: string) => `${path}: ${line}`));
    }
  }
  return ok({ assignments, invalid });
}

/** loadEnvironmentFilesSync() for callers that prefer a promise. */
export async function loadEnvironmentFiles(refs: readonly EnvironmentFileRef[]): Promise<Result<LoadedEnvironmentFiles, EnvironmentFileError>> {
  return loadEnvironmentFilesSync(refs);
}

/** glob(3) over absolute paths (GLOB_NOSORT aside, results sorted as glob() does): *, ?, [...] per component. */
function expandGlob(pattern: string): string[] {
  const components = pattern.split('/').filter((part) => part !== '');
  let matches = ['/'];
  for (const component of components) {
    const next: string[] = [];
    for (const dir of matches) {
      if (!GLOB_CHARS.test(component)) {
        next.push(join(dir, component));
        continue;
      }
      const regex = globToRegExp(component);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      // A leading "." must be matched explicitly, as in glob(3).
      for (const name of names.sort()) if (regex.test(name) && (!name.startsWith('.') || component.startsWith('.'))) next.push(join(dir, name));
    }
    matches = next;
  }
  return matches;
}

function globToRegExp(component: string): RegExp {
  let source = '';
  for (let i = 0; i < component.length; i++) {
    const char = component[i] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = component.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
