import { setFlagsFromString } from 'node:v8';
import { describe, expect, test } from 'vitest';
import { BUILTIN_ALIASES, BUILTIN_UNITS } from '../../src/unit/builtin-targets.js';
import { defaultServiceSection, defaultUnitSection, loadFragment, stubUnit } from '../../src/unit/load-fragment.js';
import { formatDiagnostic } from '../../src/unit/diagnostic.js';
import { HOST, load } from './settings/helpers.js';
import type { UnitConfig } from '../../src/unit/model.js';

describe('loadFragment', () => {
  test('names, paths and load state', () => {
    const { config } = load('[Unit]\nDescription=A\n[Service]\nExecStart=/bin/true', 'a.service', ['[Unit]\nDescription=B']);
    expect(config).toMatchObject({
      id: 'a.service',
      type: 'service',
      loadState: 'loaded',
      loadError: undefined,
      fragmentPath: '/u/a.service',
      dropInPaths: ['/u/a.service.d/0.conf'],
      instance: undefined,
    });
    expect(config.unit.description).toBe('B');
  });

  test('what units leave unset is one shared, frozen value; a unit that sets something has its own', () => {
    const plain = ['a', 'b'].map((name) => load('[Service]\nExecStart=/bin/true', `${name}.service`).config);
    const [a, b] = plain as [UnitConfig, UnitConfig];
    expect(a.service!.exec).toBe(b.service!.exec);
    expect(a.service!.kill).toBe(b.service!.kill);
    expect(a.unit.dependencies).toBe(b.unit.dependencies);
    expect(a.unit.documentation).toBe(b.install.wantedBy);
    expect(Object.isFrozen(a.service!.exec) && Object.isFrozen(a.unit.dependencies.After)).toBe(true);

    const own = load('[Unit]\nAfter=x.service\n[Service]\nExecStart=/bin/true\nEnvironment=A=1\nKillMode=process', 'c.service').config;
    expect(own.service!.exec).not.toBe(a.service!.exec);
    expect(own.service!.exec.environment).toEqual(['A=1']);
    expect(own.service!.kill.killMode).toBe('process');
    expect(own.unit.dependencies.After).toEqual(['x.service']);
    expect(own.unit.dependencies.Before).toBe(a.unit.dependencies.Before);
    // The shared values kept their defaults.
    expect(a.service!.exec.environment).toEqual([]);
    expect(a.service!.kill.killMode).toBe('control-group');
    expect(a.unit.dependencies.After).toEqual([]);
  });

  test("units that set different things share their [Service] record's hidden class (V8's own per unit costs 800 bytes)", () => {
    setFlagsFromString('--allow-natives-syntax');
    const sameShape = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    // Compared once the loader has settled: V8 replaces the first units' hidden classes while it learns the
    // fields' kinds (they move to the new one when next used), and its copying code goes generic after a few units.
    const units = Array.from({ length: 20 }, (_, i) => load(`[Service]\nExecStart=/bin/sleep ${i}\nRestart=on-failure\nEnvironment=A=${i}`, `u${i}.service`).config);
    expect(units.slice(10).every((u) => sameShape(u.service!, units[10]!.service!))).toBe(true);
  });

  test('aliases are kept', () => {
    const r = loadFragment({
      name: 'a.service',
      fragment: { path: '/u/a.service', text: '[Service]\nExecStart=/bin/true' },
      dropIns: [],
      aliases: ['b.service'],
      specifiers: HOST,
    });
    expect(r.config.aliases).toEqual(['b.service']);
  });

  test('drop-ins apply in order; an empty ExecStart= resets the list', () => {
    const { config, messages } = load('[Service]\nExecStart=/bin/old\nRestart=always\nEnvironment=A=1', 'a.service', [
      '[Service]\nExecStart=\nExecStart=/bin/new --flag',
      '[Service]\nRestart=on-failure\nEnvironment=B=2',
    ]);
    expect(messages).toEqual([]);
    expect(config.service!.execStart.map((c) => c.argv)).toEqual([['/bin/new', '--flag']]);
    expect(config.service!.execStart[0]!.file).toBe('/u/a.service.d/0.conf');
    expect(config.service!.restart).toBe('on-failure');
    expect(config.service!.exec.environment).toEqual(['A=1', 'B=2']);
  });

  test('a drop-in adding a second ExecStart= without reset is refused', () => {
    const { config, messages } = load('[Service]\nExecStart=/bin/old', 'a.service', ['[Service]\nExecStart=/bin/new']);
    expect(config.loadState).toBe('bad-setting');
    expect(messages).toEqual([
      'a.service: Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.',
    ]);
  });

  test('repeated keys: the last scalar wins, lists accumulate; repeated sections merge', () => {
    const { config } = load('[Service]\nExecStart=/bin/x\nRestartSec=1\n[Unit]\nWants=a.target\n[Service]\nRestartSec=2\n[Unit]\nWants=b.target');
    expect(config.service!.restartUsec).toBe(2_000_000);
    expect(config.unit.dependencies.Wants).toEqual(['a.target', 'b.target']);
  });

  test('templates: %i, %I, %p, %n, %N from the instance name', () => {
    const { config, messages } = load(
      '[Unit]\nDescription=Worker %I of %p (%n, %N)\n[Service]\nExecStart=/usr/bin/work --id=%i\nEnvironment=INSTANCE=%i\nWorkingDirectory=/srv/%i',
      'work@blue\\x2dsky.service',
      [],
      'work@.service',
    );
    expect(messages).toEqual([]);
    expect(config.instance).toBe('blue\\x2dsky');
    expect(config.unit.description).toBe('Worker blue-sky of work (work@blue\\x2dsky.service, work@blue\\x2dsky)');
    expect(config.service!.execStart[0]!.argv).toEqual(['/usr/bin/work', '--id=blue\\x2dsky']);
    expect(config.service!.exec.environment).toEqual(['INSTANCE=blue\\x2dsky']);
    expect(config.service!.exec.workingDirectory).toEqual({ path: '/srv/blue\\x2dsky', optional: false });
  });

  test('a specifier value with blanks or quotes stays one word of an Exec line', () => {
    const { config } = load('[Service]\nExecStart=/bin/echo %I "x %I" \'%I\'', 'e@a\\x20\\x22b.service', [], 'e@.service');
    expect(config.service!.execStart[0]!.argv).toEqual(['/bin/echo', 'a "b', 'x a "b', 'a "b']);
  });

  test('dependency names keep their escapes (EXTRACT_RETAIN_ESCAPE)', () => {
    const { config } = load('[Unit]\nAfter=dev-sda\\x2d1.device\n[Service]\nExecStart=/bin/true');
    expect(config.unit.dependencies.After).toEqual(['dev-sda\\x2d1.device']);
  });

  test('an unknown specifier warns and drops the setting', () => {
    const { config, messages } = load('[Unit]\nDescription=%z\n[Service]\nExecStart=/bin/true');
    expect(config.unit.description).toBeUndefined();
    expect(messages).toEqual(['/u/a.service:2: Failed to resolve unit specifiers in %z, ignoring: Invalid slot']);
  });

  test('unknown sections; [Service] in a target is unknown', () => {
    expect(load('[Service]\nExecStart=/bin/true\n[Foo]\nX=1').messages).toEqual(["/u/a.service:3: Unknown section 'Foo'. Ignoring."]);
    const t = load('[Unit]\nDescription=t\n[Service]\nExecStart=/bin/true', 'b.target');
    expect(t.messages).toEqual(["/u/b.target:3: Unknown section 'Service'. Ignoring."]);
    expect(t.config.type).toBe('target');
    expect(t.config.service).toBeUndefined();
    expect(t.config.loadState).toBe('loaded');
  });
});

describe('stubUnit and defaults', () => {
  test('not-found service', () => {
    const s = stubUnit('gone.service', 'not-found', 'Unit gone.service not found.');
    expect(s).toMatchObject({ id: 'gone.service', type: 'service', loadState: 'not-found', loadError: 'Unit gone.service not found.', fragmentPath: undefined });
    expect(s.service).toEqual(defaultServiceSection());
    expect(s.unit).toEqual(defaultUnitSection());
  });
  test('masked target, instance stub', () => {
    expect(stubUnit('x.target', 'masked', 'Unit x.target is masked.')).toMatchObject({ type: 'target', service: undefined });
    expect(stubUnit('w@3.service', 'not-found', undefined).instance).toBe('3');
  });
});

describe('built-in targets', () => {
  test.each([...BUILTIN_UNITS.keys()])('%s loads cleanly', (name) => {
    const r = loadFragment({ name, fragment: { path: `builtin:${name}`, text: BUILTIN_UNITS.get(name)! }, dropIns: [], aliases: [], specifiers: HOST });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.config.loadState).toBe('loaded');
    expect(r.config.unit.description).toBeTruthy();
  });

  test('default.target is an alias of multi-user.target', () => {
    expect(BUILTIN_ALIASES.get('default.target')).toBe('multi-user.target');
    expect(BUILTIN_UNITS.has('default.target')).toBe(false);
  });

  test('multi-user.target as systemd 252 ships it', () => {
    const r = loadFragment({ name: 'multi-user.target', fragment: { path: 'builtin:multi-user.target', text: BUILTIN_UNITS.get('multi-user.target')! }, dropIns: [], aliases: [], specifiers: HOST });
    expect(r.config.unit).toMatchObject({ description: 'Multi-User System', allowIsolate: true, documentation: ['man:systemd.special(7)'] });
    expect(r.config.unit.dependencies.Requires).toEqual(['basic.target']);
    expect(r.config.unit.dependencies.After).toEqual(['basic.target', 'rescue.service', 'rescue.target']);
  });
});
