// `npm run build`, after tsc: the daemon (`init`, `up`) as one bundled module in dist/daemon/main.js, in
// place of tsc's ~170 modules. One module costs the daemon's process about 2 MiB less RSS than many: no
// per-module records, scopes and loader work, and its source is one ASCII string without comments (a
// module with one non-ASCII character is held as UTF-16, twice its size). What the daemon imports lazily
// (the file watcher, the HTTP endpoint) stays lazy: split into chunks beside it. tsc's dist/ stays as it is
// for the client, the API and the types; the bundle sits where tsc's main.js was, so that paths taken
// from import.meta.url (the addon, package.json) resolve as before.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A node_modules installed before esbuild was a devDependency: tsc's modules run as they are (same behaviour,
// more memory) until `npm install`.
const esbuild = await import('esbuild').catch(() => undefined);
if (esbuild === undefined) {
  process.stderr.write('esbuild is not installed (npm install): the daemon runs from tsc\'s modules, unbundled\n');
  process.exit(0);
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'dist', 'daemon');
for (const name of readdirSync(outdir)) if (name.startsWith('chunk-')) rmSync(join(outdir, name));

await esbuild.build({
  entryPoints: [join(root, 'src', 'daemon', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies load from node_modules as before (the addon's loader, chokidar, execa).
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  // Whitespace and comments out, names kept (stack traces and logged errors stay readable).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  allowOverwrite: true,
  logLevel: 'warning',
});
