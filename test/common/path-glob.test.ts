// The globs of [X-Watch]: which files match, and which directories may hold a match (the others are not walked).
import { describe, expect, test } from 'vitest';
import { compileGlob } from '../../src/common/path-glob.js';

const MATCHES: readonly (readonly [pattern: string, path: string, matches: boolean])[] = [
  ['/p/src/*.ts', '/p/src/a.ts', true],
  ['/p/src/*.ts', '/p/src/sub/a.ts', false],
  ['/p/src/*.ts', '/p/src/a.tsx', false],
  ['/p/src/**/*.ts', '/p/src/a.ts', true],
  ['/p/src/**/*.ts', '/p/src/x/y/z.ts', true],
  ['/p/src/**/*.ts', '/p/lib/a.ts', false],
  ['/p/src/**', '/p/src/x/y', true],
  ['/p/src/**', '/p/srcx/y', false],
  ['/p/?.js', '/p/a.js', true],
  ['/p/?.js', '/p/ab.js', false],
  ['/p/[ab].js', '/p/b.js', true],
  ['/p/[!ab].js', '/p/b.js', false],
  ['/p/[!ab].js', '/p/c.js', true],
  ['/p/*.{js,mjs}', '/p/x.mjs', true],
  ['/p/*.{js,mjs}', '/p/x.cjs', false],
  ['/p/a+b(1).js', '/p/a+b(1).js', true],
  ['/p/config.json', '/p/config.json', true],
  ['/p/*', '/p/.env', true],
];

const CONTAINS: readonly (readonly [pattern: string, dir: string, mayContain: boolean])[] = [
  ['/p/src/**/*.ts', '/p', true],
  ['/p/src/**/*.ts', '/p/src', true],
  ['/p/src/**/*.ts', '/p/src/deep/er', true],
  ['/p/src/**/*.ts', '/p/lib', false],
  ['/p/*.js', '/p', true],
  ['/p/*.js', '/p/sub', false],
  ['/p/*/x.js', '/p/a', true],
  ['/p/*/x.js', '/p/a/b', false],
];

describe('glob', () => {
  test.each(MATCHES)('%s matches %s: %s', (pattern, path, matches) => {
    expect(compileGlob(pattern).matches(path)).toBe(matches);
  });
  test.each(CONTAINS)('%s may be under %s: %s', (pattern, dir, mayContain) => {
    expect(compileGlob(pattern).mayContain(dir)).toBe(mayContain);
  });
  test('the base is the deepest folder without glob characters', () => {
    expect(['/p/src/**/*.ts', '/p/*.js', '/p/config.json', '/*.js'].map((p) => compileGlob(p).base)).toEqual(['/p/src', '/p', '/p', '/']);
  });
});
