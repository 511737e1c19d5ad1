// The layer rule of DESIGN.md: imports only point down, and the pure core touches no OS edge.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
/** Bottom to top. A module may import from its own layer and the layers below it. */
const LAYERS = ['common', 'unit', 'job', 'service', 'protocol', 'process', 'manager', 'api', 'daemon', 'cli'] as const;
const PURE = new Set(['common', 'unit', 'job', 'service', 'protocol']);
const EDGE_MODULES = /^(node:)?(fs|net|child_process|dgram|fs\/promises)$|^(execa|pidtree|chokidar|pino)$/;
/** The one file of unit/ that reads the file system, and the real Clock beside the fake one (STYLE.md). */
const PURE_EXCEPTIONS = new Set(['unit/unit-directory.ts', 'common/clock.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] as string;
const files = sourceFiles(SRC).filter((f) => LAYERS.includes(layerOf(f) as (typeof LAYERS)[number]));

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

describe('architecture', () => {
  test.each(files.map((f) => [relative(SRC, f), f]))('%s imports only downward', (_name, file) => {
    const layer = LAYERS.indexOf(layerOf(file) as (typeof LAYERS)[number]);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(file), spec);
      const targetLayer = LAYERS.indexOf(layerOf(target) as (typeof LAYERS)[number]);
      expect(targetLayer, `${relative(SRC, file)} imports ${spec}`).toBeLessThanOrEqual(layer);
    }
  });

  test.each(files.filter((f) => PURE.has(layerOf(f)) && !PURE_EXCEPTIONS.has(relative(SRC, f))).map((f) => [relative(SRC, f), f]))(
    '%s stays pure',
    (_name, file) => {
      const edges = importsOf(file).filter((s) => EDGE_MODULES.test(s));
      expect(edges, `${relative(SRC, file)} imports an OS edge`).toEqual([]);
      const text = readFileSync(file, 'utf8');
      expect(text, 'pure code takes a Clock').not.toMatch(/\bDate\.now\(|\bsetTimeout\(|\bsetInterval\(/);
    },
  );
});
