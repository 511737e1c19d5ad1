// [X-Watch] Paths=/Ignore= parse as lists of globs, and what `up --watch` watches for a unit follows from them
// and from its ExecStart= lines.
import { describe, expect, test } from 'vitest';
import { watchSpecOf } from '../../../src/unit/watch-spec.js';
import { load } from './helpers.js';

describe('[X-Watch]', () => {
  test('Paths= and Ignore= are repeatable word lists; an empty assignment (a drop-in) clears them', () => {
    const { config, messages } = load('[Service]\nExecStart=/bin/true\n[X-Watch]\nPaths=src/**/*.ts "my dir/*.json"\nPaths=lib/*.mjs\nIgnore=src/gen/**\n');
    expect(messages).toEqual([]);
    expect(config.service?.watchPaths).toEqual(['src/**/*.ts', 'my dir/*.json', 'lib/*.mjs']);
    expect(config.service?.watchIgnore).toEqual(['src/gen/**']);
    const replaced = load('[Service]\nExecStart=/bin/true\n[X-Watch]\nPaths=src/**\n', 'a.service', ['[X-Watch]\nPaths=\nPaths=app/**\n']);
    expect(replaced.config.service?.watchPaths).toEqual(['app/**']);
  });

  test('the watch spec: executables given by path and arguments that may be files, globs made absolute', () => {
    const { config } = load("[Service]\nType=oneshot\nExecStart=node --enable-source-maps server.mjs $PORT\nExecStart=/app/bin/run.sh -v config.json\n[X-Watch]\nPaths=src/*.ts /etc/app.conf\nIgnore=src/*.d.ts\n");
    const spec = watchSpecOf('a.service', config.service!, '/app');
    expect(spec).toEqual({
      unit: 'a.service',
      scripts: ['/app/server.mjs', '/app/bin/run.sh', '/app/config.json'],
      include: ['/app/src/*.ts', '/etc/app.conf'],
      ignore: ['/app/src/*.d.ts'],
    });
  });
});
