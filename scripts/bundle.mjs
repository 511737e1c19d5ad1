// `npm run build`, after tsc: the command line as two CommonJS bundles that dist/bin.cjs loads, so that
// neither the daemon's process nor a client verb's loads Node's ES module loader or reads ~30 modules one
// at a time.
// - dist/daemon/main.cjs: the daemon modes (`init`, `up`). One module costs the daemon's process about
//   2 MiB less RSS than tsc's ~170: no per-module records, scopes and loader work, and its source is one
//   ASCII string without comments (a module with one non-ASCII character is held as UTF-16, twice its
//   size). What it imports lazily stays lazy: the file watcher and the HTTP endpoint as CommonJS bundles of
//   their own beside it, the client verbs as tsc's ES modules.
// - dist/cli/cli.cjs: every other verb, with what the verbs import (each module runs when its verb first
//   needs it, as esbuild wraps it); the daemon stays out, as tsc's ES modules.
// tsc's dist/ stays as it is for the API and the types; the bundles sit one folder down in dist/, so that
// paths taken from their file (the addon, package.json) resolve as from tsc's modules.
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');
const outdir = join(root, 'dist', 'daemon');
const clientFile = join(root, 'dist', 'cli', 'cli.cjs');
for (const name of readdirSync(outdir)) if (name.endsWith('.cjs') || name.endsWith('.cjs.map')) rmSync(join(outdir, name));
rmSync(clientFile, { force: true });
rmSync(`${clientFile}.map`, { force: true });

// A node_modules installed before esbuild was a devDependency: the daemon runs from tsc's modules (same
// behaviour, more memory) until `npm install`; Node 20.19 and later require() an ES module without top-level await.
const esbuild = await import('esbuild').catch(() => undefined);
if (esbuild === undefined) {
  process.stderr.write('esbuild is not installed (npm install): the command line runs from tsc\'s modules, unbundled\n');
  writeFileSync(join(outdir, 'main.cjs'), "module.exports = require('../cli/cli.js');\n");
  writeFileSync(clientFile, "module.exports = require('./cli.js');\n");
  process.exit(0);
}

/** The daemon's lazy parts: each a bundle of its own, required when first used. */
const LAZY = { [join(src, 'daemon', 'watch.ts')]: 'watch', [join(src, 'http', 'server.ts')]: 'http' };

/** A path from a bundle in `dir` to `file`, for require() or import(). */
const from = (dir, file) => {
  const path = relative(dir, file);
  return path.startsWith('.') ? path : `./${path}`;
};

/**
 * A dynamic import of the project's own modules, for a bundle in `dir`: bundled where `bundled(path)`, else
 * one of the daemon's lazy parts' bundles, required (import() of them would load the ES module loader), or
 * tsc's ES module.
 */
const lazyImports = (dir, bundled) => ({
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (bundled(resolved.path)) return undefined;
      const lazy = LAZY[resolved.path];
      if (lazy !== undefined) return { path: from(dir, join(outdir, `${lazy}.cjs`)), namespace: 'lazy-bundle' };
      return { path: from(dir, join(root, 'dist', relative(src, resolved.path))).replace(/\.ts$/, '.js'), external: true };
    });
    build.onLoad({ filter: /./, namespace: 'lazy-bundle' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});` }));
    build.onResolve({ filter: /./, namespace: 'lazy-bundle' }, (args) => ({ path: args.path, external: true }));
  },
});

/** The daemon's own modules: the client's bundle leaves them to tsc's ES modules. */
const inDaemon = (path) => path.startsWith(join(src, 'daemon'));
/** What the daemon's bundle holds besides the command line's static imports. */
const daemonPart = (path) => inDaemon(path) || path === join(src, 'cli', 'verbs', 'daemon.ts');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Dependencies load from node_modules as before (the addon's loader, chokidar, execa).
  packages: 'external',
  // import.meta.dirname and .filename of the modules bundled: the bundle's own (paths: no file URL is made
  // and parsed back when the bundle loads).
  define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
  // A bundle runs as node:vm's Script (code-cache.cts), whose import() has no module loader to turn to: a
  // package or built-in module imported when first needed (yaml, execa, node:http) is required instead.
  supported: { 'dynamic-import': false },
  // Whitespace and comments out, names kept (stack traces and logged errors stay readable).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  allowOverwrite: true,
  logLevel: 'warning',
};

/**
 * node:module for the project's modules in a bundle: createRequire(import.meta.filename) is the bundle's own
 * require (import.meta.filename is the bundle's file, above), so that node:module, which loads parts of the ES
 * module loader, is required only for another file.
 */
const ownRequire = {
  name: 'own-require',
  setup(build) {
    build.onResolve({ filter: /^node:module$/ }, (args) => (args.importer.startsWith(src) ? { path: args.path, namespace: 'own-require' } : undefined));
    build.onLoad({ filter: /./, namespace: 'own-require' }, () => ({
      contents: 'export const createRequire = (file) => (file === import.meta.filename ? require : require("node:module").createRequire(file));',
      loader: 'js',
    }));
  },
};

const daemonBundle = { ...common, plugins: [ownRequire, lazyImports(outdir, daemonPart)] };
await esbuild.build({ ...daemonBundle, entryPoints: [join(src, 'cli', 'cli.ts')], outfile: join(outdir, 'main.cjs') });
for (const [entry, name] of Object.entries(LAZY)) await esbuild.build({ ...daemonBundle, entryPoints: [entry], outfile: join(outdir, `${name}.cjs`) });
await esbuild.build({ ...common, plugins: [ownRequire, lazyImports(dirname(clientFile), (path) => !inDaemon(path))], entryPoints: [join(src, 'cli', 'cli.ts')], outfile: clientFile });
// The build's identity on the client bundle's last line: its code cache is kept for this build only (code-cache.cts).
appendFileSync(clientFile, `// build ${createHash('sha256').update(readFileSync(clientFile)).digest('hex').slice(0, 32)}\n`);
