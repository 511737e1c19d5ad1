// A CommonJS bundle run with V8's code cache for it, kept in the user's cache directory: what Node 22's
// module.enableCompileCache() does for every module, here for the one bundle a client verb runs (Node 20
// has no such API). With the cache, V8 reads the bytecode of what the verb ran last time instead of
// parsing 300 KB of source and compiling each function again.
//
// One cache per verb (the bytecode a verb ran is what it will run again), made when the verb first runs
// after a build and kept while that build and Node's version are the same. Every failure (no home
// directory, a read-only one, a cache V8 rejects) only leaves the bundle to be compiled as without one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Where the caches live: the XDG cache directory, the user's own (code from a shared /tmp would run as the user). */
function cacheDirectory(): string | undefined {
  const base = process.env['XDG_CACHE_HOME'] ?? (process.env['HOME'] ? join(process.env['HOME'], '.cache') : undefined);
  return base === undefined ? undefined : join(base, 'unitvisor', 'code-cache');
}

/**
 * The build's identity, which the bundle's last line carries (scripts/bundle.mjs): V8 itself checks only
 * the source's length, so a cache must never outlive the build it was made from.
 */
function buildId(source: string): string | undefined {
  return /\/\/ build ([0-9a-f]{16,})\n?$/.exec(source.slice(-100))?.[1];
}

/** Runs `file`, a CommonJS module, with the code cache kept under `key`; returns its exports. */
export function requireWithCodeCache(file: string, key: string): unknown {
  const source = readFileSync(file, 'utf8');
  const cache = cacheOf(source, key);
  let cachedData: Buffer | undefined;
  try {
    if (cache !== undefined) cachedData = readFileSync(cache.file);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  if (cache !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit, the cache holds what the verb compiled while it ran, not only the bundle's top level.
    process.once('exit', () => writeCache(cache, script));
  }
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

interface CacheFile {
  readonly file: string;
  /** What the names of this build's caches (on this Node) begin with. */
  readonly build: string;
}

/** Where the cache of `key` for the bundle `source` lives; none without a build id or a cache directory. */
function cacheOf(source: string, key: string): CacheFile | undefined {
  const id = buildId(source);
  const directory = cacheDirectory();
  if (id === undefined || directory === undefined) return undefined;
  const build = `${id}-${process.version}-${process.arch}-`;
  return { file: join(directory, build + key), build };
}

/** Writes the cache whole or not at all (verbs run side by side), and drops the caches of other builds. */
function writeCache({ file, build }: CacheFile, script: Script): void {
  const directory = dirname(file);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, file);
    for (const name of readdirSync(directory)) if (!name.startsWith(build)) rmSync(join(directory, name), { force: true });
  } catch {
    // No cache: the next run compiles the bundle, as this one did.
  }
}
