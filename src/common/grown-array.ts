// Growing a typed array: a copy into a larger one.

/**
 * `a` copied into a new array of `size` entries, those past a's set to `fill`. One function for every typed array
 * the scheduler grows: each grows a few times per graph or transaction, too few calls for a function of its own to
 * collect type feedback, and optimized code that had inlined one without any deoptimized at the first growth.
 */
export function grown(a: Int32Array, size: number, fill: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
