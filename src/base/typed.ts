// Growing typed arrays: the engine keeps per-write and per-event state in
// typed arrays (no object per write) and doubles them when they fill.

type Typed = Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** A copy of `array` with room for `size` elements (size >= array.length). */
export function grown<T extends Typed>(array: T, size: number): T {
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array);
  return next;
}

/** A full queue's capacity after compaction: doubled when its live entries fill more than half of it, else kept. */
export function compactedSize(live: number, capacity: number): number {
  return live * 2 > capacity ? capacity * 2 : capacity;
}

/** The entries [from, to) of `array` at the start of an array of `size` (the same array when the size is unchanged): a queue's compaction. */
export function moved<T extends Typed>(array: T, from: number, to: number, size: number): T {
  if (size === array.length) {
    array.copyWithin(0, from, to);
    return array;
  }
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array.subarray(from, to));
  return next;
}
