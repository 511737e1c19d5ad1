// Deep equality of plain data (parsed settings: objects, arrays, strings, numbers, booleans), without
// util.isDeepStrictEqual(), whose first call loads Node's internal comparison module (200 KiB of RSS).

/** Whether `a` and `b` hold the same plain data: same keys and values, arrays in the same order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
