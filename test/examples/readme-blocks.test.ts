// The README's Supervisor example is the example file the suite runs, word for word.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

test("the README's Supervisor API block is examples/api/fixture.test.ts", () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const block = /## Integration tests with the Supervisor API\n\n```ts\n([\s\S]*?)```\n/.exec(readme)?.[1];
  expect(block).toBeDefined();
  expect(readFileSync(resolve(ROOT, 'examples/api/fixture.test.ts'), 'utf8').endsWith(block as string)).toBe(true);
});
