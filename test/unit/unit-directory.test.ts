import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/unit/diagnostic.js';
import { findDropIns, findUnitFile, loadUnitByName, loadUnitDirectory, UNIT_FILE_MAX_BYTES, type LoadOptions } from '../../src/unit/unit-directory.js';
import { dropInDirNames } from '../../src/unit/drop-in-dirs.js';
import { resolveUnitPath, DEFAULT_UNIT_PATH } from '../../src/unit/search-path.js';
import type { HostSpecifiers } from '../../src/unit/unit-loader.js';
import { ROOT_HOST } from '../helpers/root-host.js';

const HOST: HostSpecifiers = ROOT_HOST;
const SVC = '[Service]\nExecStart=/bin/true\n';
const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp tree: keys are relative paths; string values are file texts, `{ link }` makes a symlink. */
type Tree = Record<string, string | { link: string } | { dir: true } | { fifo: true }>;
function makeTree(tree: Tree): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'uv-unitdir-'));
  tmpDirs.push(root);
  for (const [rel, v] of Object.entries(tree)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof v === 'string') fs.writeFileSync(p, v);
    else if ('link' in v) fs.symlinkSync(v.link.replace('$ROOT', root), p);
    else if ('dir' in v) fs.mkdirSync(p, { recursive: true });
    else execFileSync('mkfifo', [p]);
  }
  return root;
}

const opts = (root: string, dirs: string[] = ['etc', 'lib'], builtins = false): LoadOptions => ({
  unitPath: dirs.map((d) => `${root}/${d}`),
  specifiers: HOST,
  builtins,
});

describe('resolveUnitPath', () => {
  test.each([
    ['default', {}, [...DEFAULT_UNIT_PATH]],
    ['--unit-path replaces it, in order', { unitPath: ['/a', '/b/'] }, ['/a', '/b']],
    ['UNITVISOR_UNIT_PATH replaces it', { env: { UNITVISOR_UNIT_PATH: '/x:/y' } }, ['/x', '/y']],
    ['an empty component splices in the default', { env: { UNITVISOR_UNIT_PATH: '/x:' } }, ['/x', ...DEFAULT_UNIT_PATH]],
    ['--unit-path wins over the variable', { unitPath: ['/a'], env: { UNITVISOR_UNIT_PATH: '/x' } }, ['/a']],
  ])('%s', (_, o, expected) => {
    expect(resolveUnitPath(o)).toEqual(expected);
  });
});

describe('drop-in directory names (unit_file_find_dirs)', () => {
  test.each([
    ['a.service', ['a.service.d']],
    ['a-b-c.service', ['a-b-c.service.d', 'a-b-.service.d', 'a-.service.d']],
    ['x@i.service', ['x@i.service.d', 'x@.service.d']],
    ['-a.service', ['-a.service.d']],
  ])('%s', (name, expected) => {
    expect(dropInDirNames(name, '.d')).toEqual(expected);
  });
});

describe('loadUnitDirectory', () => {
  test('the first directory that has a name wins', () => {
    const root = makeTree({ 'etc/a.service': '[Unit]\nDescription=etc\n' + SVC, 'lib/a.service': '[Unit]\nDescription=lib\n' + SVC });
    const set = loadUnitDirectory(opts(root));
    expect(set.resolve('a.service')?.unit.description).toBe('etc');
    expect(set.resolve('a.service')?.fragmentPath).toBe(`${root}/etc/a.service`);
  });

  test.each([
    ['a /dev/null symlink', { link: '/dev/null' }],
    ['an empty file', ''],
  ])('%s in a higher directory masks the unit', (_, mask) => {
    const root = makeTree({ 'etc/a.service': mask, 'lib/a.service': SVC });
    const a = loadUnitDirectory(opts(root)).resolve('a.service');
    expect(a?.loadState).toBe('masked');
    expect(a?.loadError).toBe('Unit a.service is masked.');
  });

  test('a symlink to another name is an alias: one unit, the target is its id, drop-ins of both names apply', () => {
    const root = makeTree({
      'lib/real.service': SVC,
      'etc/other.service': { link: '$ROOT/lib/real.service' },
      'lib/same-dir.service': { link: 'real.service' },
      'lib/other.service.d/10-alias.conf': '[Unit]\nDescription=from alias drop-in\n',
    });
    const set = loadUnitDirectory(opts(root));
    const real = set.resolve('real.service');
    expect(real?.id).toBe('real.service');
    expect(set.resolve('other.service')).toBe(real);
    expect(set.resolve('same-dir.service')).toBe(real);
    expect(real?.aliases).toEqual(['other.service', 'same-dir.service']);
    expect(real?.unit.description).toBe('from alias drop-in');
    expect([...set.units.keys()].filter((k) => k.endsWith('.service'))).toEqual(['real.service']);
  });

  test('drop-ins: every search directory, prefix and type-wide dirs, same file name masked by the higher directory, applied by file name', () => {
    const root = makeTree({
      'lib/a-b.service': '[Unit]\nDescription=fragment\n' + SVC,
      'lib/a-b.service.d/20-x.conf': '[Unit]\nDescription=lib-20\n',
      'etc/a-b.service.d/20-x.conf': '[Unit]\nDocumentation=man:etc-20\n',
      'lib/a-.service.d/30-prefix.conf': '[Unit]\nDocumentation=man:prefix-30\n',
      'lib/service.d/10-type.conf': '[Unit]\nDocumentation=man:type-10\n',
      'etc/a-b.service.d/05-null.conf': { link: '/dev/null' },
      'lib/a-b.service.d/05-null.conf': '[Unit]\nDescription=masked away\n',
      'lib/a-b.service.d/README': 'not a drop-in',
    });
    const a = loadUnitDirectory(opts(root)).resolve('a-b.service');
    expect(a?.dropInPaths).toEqual([
      `${root}/etc/a-b.service.d/05-null.conf`,
      `${root}/lib/service.d/10-type.conf`,
      `${root}/etc/a-b.service.d/20-x.conf`,
      `${root}/lib/a-.service.d/30-prefix.conf`,
    ]);
    expect(a?.unit.description).toBe('fragment');
    expect(a?.unit.documentation).toEqual(['man:type-10', 'man:etc-20', 'man:prefix-30']);
  });

  test('.wants/, .requires/ and .upholds/ dirs add dependencies; a template entry takes the instance', () => {
    const root = makeTree({
      'lib/t.target': '[Unit]\nDescription=T\n',
      'etc/t.target.wants/w.service': { link: '$ROOT/lib/w.service' },
      'lib/t.target.requires/r.service': { link: '$ROOT/lib/r.service' },
      'lib/t.target.upholds/u.service': { link: '$ROOT/lib/u.service' },
      'lib/w.service': SVC,
      'lib/r.service': SVC,
      'lib/u.service': SVC,
      'lib/x@.target': '[Unit]\nDescription=X %i\n',
      'lib/x@.target.wants/y@.service': { link: '$ROOT/lib/y@.service' },
      'lib/y@.service': SVC,
      'lib/z.service': '[Unit]\nWants=x@one.target\n' + SVC,
    });
    const set = loadUnitDirectory(opts(root));
    const t = set.resolve('t.target')!;
    expect(t.unit.dependencies.Wants).toContain('w.service');
    expect(t.unit.dependencies.Requires).toContain('r.service');
    expect(t.unit.dependencies.Upholds).toContain('u.service');
    expect(set.resolve('x@one.target')?.unit.dependencies.Wants).toContain('y@one.service');
    expect(set.resolve('y@one.service')?.loadState).toBe('loaded');
    expect(set.units.has('y@.service')).toBe(false);
  });

  test('instances load from their template unless a file of their own exists; named dependencies that do not exist are not-found stubs', () => {
    const root = makeTree({
      'lib/t@.service': '[Unit]\nDescription=template %i\n' + SVC,
      'lib/t@special.service': '[Unit]\nDescription=own file\n' + SVC,
      'lib/main.service': '[Unit]\nWants=t@one.service t@special.service missing.service\n' + SVC,
    });
    const set = loadUnitDirectory(opts(root));
    expect(set.resolve('t@one.service')?.unit.description).toBe('template one');
    expect(set.resolve('t@one.service')?.instance).toBe('one');
    expect(set.resolve('t@one.service')?.fragmentPath).toBe(`${root}/lib/t@.service`);
    expect(set.resolve('t@special.service')?.unit.description).toBe('own file');
    expect(set.resolve('missing.service')?.loadState).toBe('not-found');
    expect(set.resolve('missing.service')?.loadError).toBe('Unit missing.service not found.');
  });

  test('built-in targets load last: default.target is multi-user.target unless a file says otherwise', () => {
    const root = makeTree({ 'etc/a.service': SVC });
    const set = loadUnitDirectory(opts(root, ['etc'], true));
    expect(set.resolve('default.target')?.id).toBe('multi-user.target');
    const overridden = makeTree({ 'etc/multi-user.target': '[Unit]\nDescription=mine\n', 'etc/default.target': { link: 'multi-user.target' } });
    expect(loadUnitDirectory(opts(overridden, ['etc'], true)).resolve('default.target')?.unit.description).toBe('mine');
  });
});

describe('robustness: every problem is a diagnostic and the other units load', () => {
  const problems = (tree: Tree) => {
    const root = makeTree({ ...tree, 'lib/good.service': SVC });
    const set = loadUnitDirectory(opts(root));
    expect(set.resolve('good.service')?.loadState).toBe('loaded');
    return { set, root, text: set.diagnostics.map(formatDiagnostic).join('\n') };
  };

  test('a directory named like a unit', () => {
    const { text, root } = problems({ 'etc/dir.service': { dir: true } });
    expect(text).toContain(`${root}/etc/dir.service: Unit file is not a regular file, ignoring.`);
  });

  test('a FIFO named like a unit (never opened, so never blocks)', () => {
    const { text, root } = problems({ 'etc/fifo.service': { fifo: true } });
    expect(text).toContain(`${root}/etc/fifo.service: Unit file is not a regular file, ignoring.`);
  });

  test('a binary file', () => {
    const { set, text, root } = problems({ 'etc/bin.service': '[Service]\nExecStart=/bin/true\n\0\x01\x02' });
    expect(set.resolve('bin.service')?.loadState).toBe('error');
    expect(text).toContain(`${root}/etc/bin.service: Unit file contains a NUL byte (binary data?), refusing to load.`);
  });

  test('an enormous file is refused from its size, unread', () => {
    const root = makeTree({ 'lib/good.service': SVC });
    const big = `${root}/etc/big.service`;
    fs.mkdirSync(`${root}/etc`);
    fs.writeFileSync(big, '[Service]\n');
    fs.truncateSync(big, UNIT_FILE_MAX_BYTES + 1); // sparse: huge on paper, nothing to read
    const set = loadUnitDirectory(opts(root));
    expect(set.resolve('big.service')?.loadState).toBe('error');
    expect(set.diagnostics.map(formatDiagnostic)).toContain(`${big}: Unit file is too large (${UNIT_FILE_MAX_BYTES + 1} bytes, limit ${UNIT_FILE_MAX_BYTES}), refusing to load.`);
  });

  test('a symlink loop between two names', () => {
    const { set, text } = problems({ 'etc/a.service': { link: 'b.service' }, 'etc/b.service': { link: 'a.service' } });
    expect(set.resolve('a.service')?.loadState).toBe('error');
    expect(text).toMatch(/a\.service: Failed to resolve alias a\.service → b\.service → a\.service: Too many levels of symbolic links/);
  });

  test('a drop-in directory that loops onto itself', () => {
    const { set, text, root } = problems({ 'lib/d.service': SVC, 'etc/d.service.d': { link: '$ROOT/etc/d.service.d' } });
    expect(set.resolve('d.service')?.loadState).toBe('loaded');
    expect(text).toContain(`${root}/etc/d.service.d: Failed to canonicalize path, ignoring: Too many levels of symbolic links`);
  });

  test('a dangling symlink', () => {
    const { set, text, root } = problems({ 'etc/gone.service': { link: '$ROOT/nowhere/gone.service' } });
    expect(set.resolve('gone.service')).toBeUndefined();
    expect(text).toContain(`${root}/etc/gone.service: Failed to resolve symlink to ${root}/nowhere/gone.service, ignoring: No such file or directory`);
  });

  test('an invalid unit name', () => {
    const { text, root } = problems({ 'etc/bad name.service': SVC });
    expect(text).toContain(`${root}/etc/bad name.service: Invalid unit name "bad name.service", ignoring.`);
  });

  test.each(['path', 'mount'])('a .%s unit loads with LoadState=error and says so', (type) => {
    const { set, text, root } = problems({ [`etc/x.${type}`]: '[Unit]\nDescription=x\n' });
    expect(set.resolve(`x.${type}`)?.loadState).toBe('error');
    expect(set.resolve(`x.${type}`)?.loadError).toBe(`Unit type ${type} is not supported by unitvisor.`);
    expect(text).toContain(`${root}/etc/x.${type}: Unit type ${type} is not supported by unitvisor.`);
  });
});

describe('loadUnitByName, findUnitFile, findDropIns', () => {
  test('an instance nothing referenced loads on demand', () => {
    const root = makeTree({ 'lib/t@.service': '[Unit]\nDescription=T %i\n' + SVC });
    const { config } = loadUnitByName('t@foo.service', opts(root));
    expect(config.id).toBe('t@foo.service');
    expect(config.unit.description).toBe('T foo');
  });

  test('cat finds the winning fragment through an alias, and the drop-ins in order', () => {
    const root = makeTree({
      'lib/a.service': SVC,
      'etc/al.service': { link: '$ROOT/lib/a.service' },
      'etc/a.service.d/b.conf': '[Unit]\n',
      'lib/a.service.d/a.conf': '[Unit]\n',
    });
    const unitPath = [`${root}/etc`, `${root}/lib`];
    expect(findUnitFile('al.service', unitPath)).toEqual({ path: `${root}/lib/a.service`, text: SVC });
    expect(findDropIns('a.service', unitPath).map((d) => d.path)).toEqual([`${root}/lib/a.service.d/a.conf`, `${root}/etc/a.service.d/b.conf`]);
    expect(findUnitFile('none.service', unitPath)).toBeUndefined();
  });
});

describe('relative unit paths (unitvisor up ./units)', () => {
  test('aliases are recognised and paths are absolute', () => {
    const root = makeTree({ 'units/a.service': SVC, 'units/b.service': { link: 'a.service' } });
    const rel = path.relative(process.cwd(), `${root}/units`);
    const set = loadUnitDirectory({ unitPath: [rel], specifiers: HOST, builtins: false });
    expect(set.resolve('b.service')?.id).toBe('a.service');
    expect(set.resolve('a.service')?.fragmentPath).toBe(`${root}/units/a.service`);
  });
});
