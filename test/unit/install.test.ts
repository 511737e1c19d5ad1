import { describe, expect, test } from 'vitest';
import { planDisable, planEnable, unitFileState, type ConfigLink, type InstallInfo } from '../../src/unit/install.js';
import type { InstallSection } from '../../src/unit/model.js';

const ETC = '/etc/systemd/system';
const LIB = '/usr/lib/systemd/system';

const section = (s: Partial<InstallSection>): InstallSection => ({
  wantedBy: [],
  requiredBy: [],
  upheldBy: [],
  alias: [],
  also: [],
  defaultInstance: undefined,
  ...s,
});
const info = (name: string, s: Partial<InstallSection>, file = name): InstallInfo => ({ name, path: `${LIB}/${file}`, install: section(s) });

describe('planEnable', () => {
  test('Alias= first, then WantedBy=, RequiredBy=, UpheldBy=, each pointing at the fragment', () => {
    const steps = planEnable(
      info('a.service', { alias: ['aa.service'], wantedBy: ['multi-user.target'], requiredBy: ['foo.target'], upheldBy: ['bar.target'] }),
      ETC,
    );
    expect(steps).toEqual([
      { kind: 'symlink', link: `${ETC}/aa.service`, target: `${LIB}/a.service`, dependencyOf: undefined },
      { kind: 'symlink', link: `${ETC}/multi-user.target.wants/a.service`, target: `${LIB}/a.service`, dependencyOf: 'multi-user.target' },
      { kind: 'symlink', link: `${ETC}/foo.target.requires/a.service`, target: `${LIB}/a.service`, dependencyOf: 'foo.target' },
      { kind: 'symlink', link: `${ETC}/bar.target.upholds/a.service`, target: `${LIB}/a.service`, dependencyOf: 'bar.target' },
    ]);
  });

  test.each([
    ['template with DefaultInstance= links its default instance', info('t@.service', { wantedBy: ['multi-user.target'], defaultInstance: 'def' }), `${ETC}/multi-user.target.wants/t@def.service`],
    ['explicit instance links under its own name to the template file', info('t@x.service', { wantedBy: ['multi-user.target'] }, 't@.service'), `${ETC}/multi-user.target.wants/t@x.service`],
    ['template into a template target stays a template', info('t@.service', { wantedBy: ['foo@.target'] }), `${ETC}/foo@.target.wants/t@.service`],
  ])('%s', (_, i, link) => {
    const steps = planEnable(i, ETC);
    expect(steps).toEqual([{ kind: 'symlink', link, target: i.path, dependencyOf: i.install.wantedBy[0] }]);
  });

  test('a template without DefaultInstance= cannot be wanted by a plain unit (systemctl says why)', () => {
    expect(planEnable(info('tpl@.service', { wantedBy: ['multi-user.target'] }), ETC)).toEqual([
      { kind: 'error', message: 'Failed to enable tpl@.service, destination unit multi-user.target is a non-template unit.' },
    ]);
  });

  test('an instance keeps its instance through a template alias', () => {
    expect(planEnable(info('t@x.service', { alias: ['u@.service'] }, 't@.service'), ETC)).toEqual([
      { kind: 'symlink', link: `${ETC}/u@x.service`, target: `${LIB}/t@.service`, dependencyOf: undefined },
    ]);
  });

  test('no [Install] rules, no links', () => {
    expect(planEnable(info('s.service', {}), ETC)).toEqual([]);
  });
});

describe('planDisable', () => {
  const links: ConfigLink[] = [
    { path: `${ETC}/aa.service`, target: `${LIB}/a.service` },
    { path: `${ETC}/multi-user.target.wants/a.service`, target: `${LIB}/a.service` },
    { path: `${ETC}/multi-user.target.wants/b.service`, target: `${LIB}/b.service` },
    { path: `${ETC}/multi-user.target.wants/t@x.service`, target: `${LIB}/t@.service` },
    { path: `${ETC}/multi-user.target.wants/t@y.service`, target: `${LIB}/t@.service` },
    { path: `${ETC}/m.service`, target: '/dev/null' },
  ];
  const removed = (names: string[], paths: string[]) => planDisable(names, paths, links).map((l) => l.path);

  test.each([
    ['a unit loses its wants link and its alias', ['a.service'], [`${LIB}/a.service`], [`${ETC}/aa.service`, `${ETC}/multi-user.target.wants/a.service`]],
    ['a template loses every instance link', ['t@.service'], [`${LIB}/t@.service`], [`${ETC}/multi-user.target.wants/t@x.service`, `${ETC}/multi-user.target.wants/t@y.service`]],
    ['an instance loses only its own link', ['t@x.service'], [`${LIB}/t@.service`], [`${ETC}/multi-user.target.wants/t@x.service`]],
    ['a mask is not undone by disable', ['m.service'], [], []],
    ['an unrelated unit removes nothing', ['z.service'], [`${LIB}/z.service`], []],
  ])('%s', (_, names, paths, expected) => {
    expect(removed(names, paths)).toEqual(expected);
  });
});

describe('unitFileState (is-enabled)', () => {
  const wants = (name: string, file = name, dir = ETC): ConfigLink => ({ path: `${dir}/multi-user.target.wants/${name}`, target: `${LIB}/${file}` });
  test.each([
    ['enabled through a .wants link', info('a.service', { wantedBy: ['multi-user.target'] }), [wants('a.service')], [], 'enabled'],
    ['enabled-runtime through a link in /run', info('a.service', { wantedBy: ['multi-user.target'] }), [], [wants('a.service', 'a.service', '/run/systemd/system')], 'enabled-runtime'],
    ['disabled: rules but no links', info('a.service', { wantedBy: ['multi-user.target'] }), [], [], 'disabled'],
    ['static: no [Install] rules', info('s.service', {}), [], [], 'static'],
    ['indirect: only Also=', info('i.service', { also: ['a.service'] }), [], [], 'indirect'],
    ['indirect: linked under a name [Install] does not give', info('a.service', { wantedBy: ['multi-user.target'] }), [{ path: `${ETC}/other.service`, target: `${LIB}/a.service` }], [], 'indirect'],
    ['enabled: a template through its DefaultInstance= link', info('t@.service', { wantedBy: ['multi-user.target'], defaultInstance: 'def' }), [wants('t@def.service', 't@.service')], [], 'enabled'],
    ['indirect: a template with only another instance linked', info('t@.service', { wantedBy: ['multi-user.target'] }), [wants('t@q.service', 't@.service')], [], 'indirect'],
    ['enabled: the instance that is linked', info('t@q.service', { wantedBy: ['multi-user.target'] }, 't@.service'), [wants('t@q.service', 't@.service')], [], 'enabled'],
    ['disabled: another instance', info('t@r.service', { wantedBy: ['multi-user.target'] }, 't@.service'), [wants('t@q.service', 't@.service')], [], 'disabled'],
  ])('%s', (_, i, persistent, runtime, expected) => {
    expect(unitFileState(i, persistent, runtime)).toBe(expected);
  });
});
