// RuntimeDirectory= & co. as systemd 252 parses them (messages checked with systemd-analyze verify 252).
import { describe, expect, test } from 'vitest';
import { service } from './helpers.js';
import { directoryEnvironment, planExecDirectories, runtimeDirectoriesToRemove, SYSTEM_DIRECTORY_ROOTS } from '../../../src/service/exec-directories.js';

const exec = (...lines: string[]) => service(...lines).config.service!.exec;

describe('*Directory= values', () => {
  test('words, specifiers, parents, symlinks, a repeated path gathers its symlinks, empty resets', () => {
    const e = exec('RuntimeDirectory=foo/bar %p', 'RuntimeDirectory=foo/bar:link', 'StateDirectory=s', 'StateDirectory=', 'StateDirectory=t:u', 'CacheDirectory=./c//d/');
    expect(e.directories.runtime.entries).toEqual([{ path: 'foo/bar', symlinks: ['link'] }, { path: 'a', symlinks: [] }]);
    expect(e.directories.state.entries).toEqual([{ path: 't', symlinks: ['u'] }]);
    expect(e.directories.cache.entries).toEqual([{ path: 'c/d', symlinks: [] }]);
  });

  test('modes default to 0755; RuntimeDirectoryPreserve= takes a boolean or restart', () => {
    expect(exec().directories.logs.mode).toBe(0o755);
    expect(exec().runtimeDirectoryPreserve).toBe('no');
    const e = exec('LogsDirectoryMode=0750', 'ConfigurationDirectoryMode=700', 'RuntimeDirectoryPreserve=restart');
    expect([e.directories.logs.mode, e.directories.configuration.mode, e.runtimeDirectoryPreserve]).toEqual([0o750, 0o700, 'restart']);
    expect(exec('RuntimeDirectoryPreserve=yes').runtimeDirectoryPreserve).toBe('yes');
  });

  test.each([
    ['RuntimeDirectory=/abs', 'RuntimeDirectory= path is absolute, ignoring: /abs'],
    ['RuntimeDirectory=a/../b', 'RuntimeDirectory= path is not normalized, ignoring: a/../b'],
    ['RuntimeDirectory=private', "RuntimeDirectory= path can't be 'private', ignoring assignment: private"],
    ['ConfigurationDirectory=c:d', 'Destination parameter is not supported for ConfigurationDirectory, ignoring: c:d'],
    ['RuntimeDirectoryPreserve=maybe', 'Failed to parse runtime directory preserve mode, ignoring: maybe'],
    ['RuntimeDirectoryMode=999', 'Failed to parse mode value, ignoring: 999'],
  ])('%s warns as systemd does', (line, message) => {
    const loaded = service(line);
    expect(loaded.messages).toEqual([`/u/a.service:3: ${message}`]);
    expect(loaded.config.service!.exec.directories.runtime.entries).toEqual([]);
  });
});

describe('planning', () => {
  const e = exec('RuntimeDirectory=foo/bar baz:qux', 'StateDirectory=aaa/bbb ccc', 'RuntimeDirectoryMode=0700');

  test('below the roots, in systemd order, with the mode of their type', () => {
    expect(planExecDirectories(e, SYSTEM_DIRECTORY_ROOTS)).toEqual([
      { type: 'runtime', path: '/run/foo/bar', mode: 0o700, symlinks: [] },
      { type: 'runtime', path: '/run/baz', mode: 0o700, symlinks: ['/run/qux'] },
      { type: 'state', path: '/var/lib/aaa/bbb', mode: 0o755, symlinks: [] },
      { type: 'state', path: '/var/lib/ccc', mode: 0o755, symlinks: [] },
    ]);
  });

  test("the environment variables of systemd.exec(5)'s example", () => {
    expect(directoryEnvironment(e, SYSTEM_DIRECTORY_ROOTS)).toEqual({ RUNTIME_DIRECTORY: '/run/foo/bar:/run/baz', STATE_DIRECTORY: '/var/lib/aaa/bbb:/var/lib/ccc' });
  });

  test.each([
    ['no', false, ['/run/foo/bar', '/run/baz', '/run/qux']],
    ['no', true, ['/run/foo/bar', '/run/baz', '/run/qux']],
    ['restart', false, ['/run/foo/bar', '/run/baz', '/run/qux']],
    ['restart', true, []],
    ['yes', false, []],
  ] as const)('RuntimeDirectoryPreserve=%s, restarting=%s: removes %j (innermost only)', (preserve, restarting, removed) => {
    expect(runtimeDirectoriesToRemove({ ...e, runtimeDirectoryPreserve: preserve }, SYSTEM_DIRECTORY_ROOTS, restarting)).toEqual(removed);
  });
});
