// Empty arrays born with V8's most general elements kind, for arrays that each transaction or graph makes anew.

/**
 * An empty array that may hold anything, holes included. An array made by `[]` starts as one of small integers
 * and changes kind as objects and holes are stored in it; code V8 optimized for the previous array of the same
 * use (filled by then) expects the final kind, so a fresh `[]` made it deoptimize ("wrong map") once per new
 * transaction or graph. This one has that kind from the start.
 */
export function holeyArray<T>(): T[] {
  const array = [undefined, ,] as unknown as T[];
  array.length = 0;
  return array;
}
