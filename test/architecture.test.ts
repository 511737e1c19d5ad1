// The layer rule of DESIGN.md: imports only point down, and the pure core touches no OS edge and no real clock;
// and every test file is in the suite.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
/** Bottom to top. A module may import from its own layer and the layers below it. */
const LAYERS = ['common', 'unit', 'job', 'service', 'protocol', 'analyze', 'process', 'manager', 'api', 'http', 'daemon', 'cli'];
const PURE = new Set(['common', 'unit', 'job', 'service', 'protocol', 'analyze']);
const EDGE_MODULES = /^(node:)?(fs|net|child_process|dgram|fs\/promises)$|^(execa|pidtree|chokidar|pino)$/;
/** The one file of unit/ that reads the file system, the real Clock beside the fake one (STYLE.md), and the local zone's names from the tz database. */
const PURE_EXCEPTIONS = new Set(['unit/unit-directory.ts', 'common/clock.ts', 'common/local-zone.ts']);

const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
const layerOf = (file: string) => LAYERS.indexOf(file.split('/')[0]!);

/** Static imports and re-exports, side-effect imports and dynamic import()s. */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:\bfrom\s*|^\s*import\s*|\bimport\(\s*)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

test('imports point down the layers; the pure core imports no OS edge and reads no real clock', () => {
  const violations: string[] = [];
  let relativeImports = 0;
  for (const file of files) {
    const layer = layerOf(file);
    if (layer < 0) continue;
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const spec of importsOf(text)) {
      if (spec.startsWith('.')) {
        relativeImports++;
        const target = relative(SRC, resolve(dirname(join(SRC, file)), spec));
        if (layerOf(target) > layer) violations.push(`${file} imports ${spec} from a higher layer`);
      } else if (PURE.has(LAYERS[layer]!) && !PURE_EXCEPTIONS.has(file) && EDGE_MODULES.test(spec)) {
        violations.push(`${file} (pure) imports ${spec}`);
      }
    }
    if (PURE.has(LAYERS[layer]!) && !PURE_EXCEPTIONS.has(file) && /\bDate\.now\(|\bsetTimeout\(|\bsetInterval\(/.test(text)) {
      violations.push(`${file} (pure) reads the real clock instead of taking a Clock`);
    }
  }
  // The scan sees the code it judges: most modules import something.
  expect(relativeImports).toBeGreaterThan(files.length);
  expect(violations).toEqual([]);
});

/** A vitest include glob as a regular expression ({a,b}, **, *). */
const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\{([^}]*)\}/g, (_, list: string) => `(?:${list.split(',').join('|')})`).replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '(?:.*/)?')}$`);

test('every test file belongs to exactly one project of vitest.config.ts, so none is left out of npm test', async () => {
  const ROOT = resolve(import.meta.dirname, '..');
  const { default: config } = (await import('../vitest.config.js')) as { default: { test: { projects: { test: { name: string; include: string[] } }[] } } };
  const projects = config.test.projects.map((p) => ({ name: p.test.name, include: p.test.include.map(globToRegExp) }));
  const testFiles = ['test', 'examples'].flatMap((dir) => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules')).map((f) => `${dir}/${f}`));
  expect(testFiles.length).toBeGreaterThan(100);
  const homes = testFiles.map((file) => [file, projects.filter((p) => p.include.some((re) => re.test(file))).map((p) => p.name)] as const);
  expect(homes.filter(([, names]) => names.length !== 1)).toEqual([]);
});
