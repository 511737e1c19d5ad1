// environment-files.ts: EnvironmentFile= read at start, "-" for optional files, globs, later files win.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadEnvironmentFiles, loadEnvironmentFilesSync } from '../../src/process/environment-files.js';
import { tempDir } from '../helpers/temp-files.js';

function dirWith(files: Record<string, string>): string {
  const dir = tempDir('unitvisor-envfile-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('loadEnvironmentFiles', () => {
  test('files are read in order; a later assignment replaces an earlier one', async () => {
    const dir = dirWith({ a: 'A=1\nB=from-a\n# comment\n', b: 'B=from-b\nC="quoted value"\n' });
    const loaded = await loadEnvironmentFiles([
      { path: join(dir, 'a'), optional: false },
      { path: join(dir, 'b'), optional: false },
    ]);
    expect(loaded).toEqual({ ok: true, value: { assignments: ['A=1', 'B=from-b', 'C=quoted value'], invalid: [] } });
  });

  test('a missing file without "-" is an error naming it', async () => {
    const path = join(dirWith({}), 'missing.env');
    expect(await loadEnvironmentFiles([{ path, optional: false }])).toEqual({
      ok: false,
      error: { path, message: 'Failed to load environment files: No such file or directory' },
    });
  });

  test('a missing file with "-" is skipped', async () => {
    const dir = dirWith({ present: 'X=1\n' });
    const loaded = await loadEnvironmentFiles([
      { path: join(dir, 'missing'), optional: true },
      { path: join(dir, 'present'), optional: false },
    ]);
    expect(loaded).toEqual({ ok: true, value: { assignments: ['X=1'], invalid: [] } });
  });

  test('the synchronous form gives the same answer', () => {
    const dir = dirWith({ env: 'S=1\n' });
    expect(loadEnvironmentFilesSync([{ path: join(dir, 'env'), optional: false }, { path: join(dir, 'gone'), optional: true }])).toEqual({
      ok: true,
      value: { assignments: ['S=1'], invalid: [] },
    });
    expect(loadEnvironmentFilesSync([{ path: join(dir, 'gone'), optional: false }])).toMatchObject({ ok: false, error: { path: join(dir, 'gone') } });
  });

  test('each start reads the file again', async () => {
    const dir = dirWith({ env: 'V=1\n' });
    const refs = [{ path: join(dir, 'env'), optional: false }];
    expect(await loadEnvironmentFiles(refs)).toMatchObject({ ok: true, value: { assignments: ['V=1'] } });
    writeFileSync(join(dir, 'env'), 'V=2\n');
    expect(await loadEnvironmentFiles(refs)).toMatchObject({ ok: true, value: { assignments: ['V=2'] } });
  });

  test('wildcards match in sorted order; no match fails unless "-"', async () => {
    const dir = dirWith({ 'conf.d/20-b.env': 'N=b\nB=1\n', 'conf.d/10-a.env': 'N=a\nA=1\n', 'conf.d/.hidden.env': 'H=1\n', 'conf.d/x.txt': 'T=1\n' });
    const loaded = await loadEnvironmentFiles([{ path: join(dir, 'conf.d', '*.env'), optional: false }]);
    expect(loaded).toEqual({ ok: true, value: { assignments: ['N=b', 'A=1', 'B=1'], invalid: [] } });
    const none = join(dir, 'nothing', '*.env');
    expect(await loadEnvironmentFiles([{ path: none, optional: false }])).toMatchObject({ ok: false, error: { path: none } });
    expect(await loadEnvironmentFiles([{ path: none, optional: true }])).toEqual({ ok: true, value: { assignments: [], invalid: [] } });
  });

  test('invalid lines are reported with their file and otherwise ignored', async () => {
    const dir = dirWith({ env: 'GOOD=1\n1BAD=2\n' });
    const loaded = await loadEnvironmentFiles([{ path: join(dir, 'env'), optional: false }]);
    expect(loaded).toEqual({ ok: true, value: { assignments: ['GOOD=1'], invalid: [`${join(dir, 'env')}: 1BAD=2`] } });
  });
});
