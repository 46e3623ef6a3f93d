/**
 * Min-heap of users keyed by the second of their next event (or next session start). Typed arrays keep a
 * million users in a few megabytes; popping in key order is what makes every day file come out sorted by ts
 * without ever holding a day in memory.
 */
export class EventHeap {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.values = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  topKey(): number {
    return this.keys[0] as number;
  }

  topValue(): number {
    return this.values[0] as number;
  }

  push(key: number, value: number): void {
    if (this.count === this.keys.length) throw new RangeError('EventHeap is full');
    let i = this.count++;
    const keys = this.keys;
    const values = this.values;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk <= key) break;
      keys[i] = pk;
      values[i] = values[parent] as number;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Gives the top a new key and restores order: one sift instead of a pop and a push. */
  replaceTopKey(key: number): void {
    this.siftDown(key, this.values[0] as number);
  }

  pop(): void {
    const last = --this.count;
    if (last > 0) this.siftDown(this.keys[last] as number, this.values[last] as number);
  }

  private siftDown(key: number, value: number): void {
    const keys = this.keys;
    const values = this.values;
    const n = this.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (keys[right] as number) < (keys[child] as number)) child = right;
      const ck = keys[child] as number;
      if (ck >= key) break;
      keys[i] = ck;
      values[i] = values[child] as number;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }
}
