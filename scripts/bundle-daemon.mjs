// `npm run build`, after tsc: the daemon modes (`init`, `up`) as one CommonJS bundle, dist/daemon/main.cjs,
// which dist/bin.cjs require()s, so that the daemon's process never loads Node's ES module loader. One
// module costs the daemon's process about 2 MiB less RSS than tsc's ~170: no per-module records, scopes and
// loader work, and its source is one ASCII string without comments (a module with one non-ASCII character
// is held as UTF-16, twice its size). The bundle is the command line (src/cli/cli.ts) with the daemon;
// what it imports lazily stays lazy: the file watcher and the HTTP endpoint as CommonJS bundles of their
// own beside it, the client verbs as tsc's ES modules. tsc's dist/ stays as it is for the client, the API
// and the types; the bundles sit in dist/daemon/, so that paths taken from their file (the addon,
// package.json) resolve as from tsc's modules.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');
const outdir = join(root, 'dist', 'daemon');
for (const name of readdirSync(outdir)) if (name.endsWith('.cjs') || name.endsWith('.cjs.map')) rmSync(join(outdir, name));

// A node_modules installed before esbuild was a devDependency: the daemon runs from tsc's modules (same
// behaviour, more memory) until `npm install`; Node 20.19 and later require() an ES module without top-level await.
const esbuild = await import('esbuild').catch(() => undefined);
if (esbuild === undefined) {
  process.stderr.write('esbuild is not installed (npm install): the daemon runs from tsc\'s modules, unbundled\n');
  writeFileSync(join(outdir, 'main.cjs'), "module.exports = require('../cli/cli.js');\n");
  process.exit(0);
}

/** The daemon's lazy parts: each a bundle of its own, required when first used. */
const LAZY = { [join(src, 'daemon', 'watch.ts')]: 'watch', [join(src, 'http', 'server.ts')]: 'http' };

/**
 * A dynamic import of the project's own modules: the lazy parts' bundles, required (import() of them would
 * load the ES module loader), or tsc's ES module (client verbs).
 */
const lazyImports = {
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const lazy = LAZY[resolved.path];
      if (lazy !== undefined) return { path: `./${lazy}.cjs`, namespace: 'lazy-bundle' };
      if (resolved.path.startsWith(join(src, 'daemon')) || resolved.path === join(src, 'cli', 'verbs', 'daemon.ts')) return undefined;
      return { path: relative(outdir, join(root, 'dist', relative(src, resolved.path))).replace(/\.ts$/, '.js'), external: true };
    });
    build.onLoad({ filter: /./, namespace: 'lazy-bundle' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});` }));
    build.onResolve({ filter: /./, namespace: 'lazy-bundle' }, (args) => ({ path: args.path, external: true }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Dependencies load from node_modules as before (the addon's loader, chokidar, execa).
  packages: 'external',
  // import.meta.url of the modules bundled: the bundle's own file.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
  // Whitespace and comments out, names kept (stack traces and logged errors stay readable).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  allowOverwrite: true,
  logLevel: 'warning',
  plugins: [lazyImports],
};

await esbuild.build({ ...common, entryPoints: [join(src, 'cli', 'cli.ts')], outfile: join(outdir, 'main.cjs') });
for (const [entry, name] of Object.entries(LAZY)) await esbuild.build({ ...common, entryPoints: [entry], outfile: join(outdir, `${name}.cjs`) });
