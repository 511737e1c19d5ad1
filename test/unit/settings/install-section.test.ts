import { describe, expect, test } from 'vitest';
import { load } from './helpers.js';

describe('[Install]', () => {
  test('defaults', () => {
    expect(load('[Service]\nExecStart=/bin/true').config.install).toEqual({
      wantedBy: [],
      requiredBy: [],
      upheldBy: [],
      alias: [],
      also: [],
      defaultInstance: undefined,
    });
  });

  test('lists accumulate, empty resets, specifiers expand; nothing is reported at load', () => {
    const { config, messages } = load(
      '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\nWantedBy=default.target\nRequiredBy=x.target\nRequiredBy=\nUpheldBy=u.target\nAlias=%p-alias.service\nAlso=b.service c.service\nDefaultInstance=one\nWantedBy=..',
      'a@.service',
    );
    expect(messages).toEqual([]);
    expect(config.install).toEqual({
      wantedBy: ['multi-user.target', 'default.target', '..'],
      requiredBy: [],
      upheldBy: ['u.target'],
      alias: ['a-alias.service'],
      also: ['b.service', 'c.service'],
      defaultInstance: 'one',
    });
  });

  test('unknown keys in [Install] warn', () => {
    expect(load('[Service]\nExecStart=/bin/true\n[Install]\nFoo=bar').messages).toEqual([
      "/u/a.service:4: Unknown key 'Foo' in section [Install], ignoring.",
    ]);
  });
});
