// Deep equality of parsed settings (a probe's, at daemon-reload).
import { expect, test } from 'vitest';
import { sameData } from '../../src/common/same-data.js';

test.each([
  [undefined, undefined, true],
  [undefined, { a: 1 }, false],
  [{ a: 1, b: 'x' }, { b: 'x', a: 1 }, true],
  [{ a: 1 }, { a: 1, b: undefined }, false],
  [{ a: [1, 2] }, { a: [1, 2] }, true],
  [{ a: [1, 2] }, { a: [2, 1] }, false],
  [[1], { 0: 1 }, false],
  [{ check: { kind: 'tcp-connect', host: 'localhost', port: 80 } }, { check: { kind: 'tcp-connect', host: 'localhost', port: 81 } }, false],
  [{ headers: [['a', 'b']] }, { headers: [['a', 'b']] }, true],
  [Number.NaN, Number.NaN, true],
  [null, {}, false],
])('sameData(%j, %j) is %s', (a, b, same) => {
  expect(sameData(a, b)).toBe(same);
});
