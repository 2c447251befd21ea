/**
 * A Map that empties itself when it is full and a new key comes: for memos of values that come back on
 * every update (a person's keys, blinded identities, folded choice labels, the state last committed),
 * bounded without an LRU's bookkeeping on every hit. Emptied, each value is computed again once.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.clear();
    return super.set(key, value);
  }

  /** The value kept for `key`, or `make(key)`, kept from now on. */
  getOr(key: K, make: (key: K) => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make(key);
      this.set(key, value);
    }
    return value;
  }
}
