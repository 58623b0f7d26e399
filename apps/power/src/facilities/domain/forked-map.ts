const DELETED: unique symbol = Symbol('deleted');

/** Forks stacked on forks before a fork merges them (reads walk the stack, so it stays short). */
const MAX_DEPTH = 8;

/**
 * A map that shares its entries with the map it was forked from and holds only what changed over
 * it: a facility of 13,300 allocations evolves by one event without copying 13,300 entries. A fork
 * is changed (`set`, `delete`) only while it is a draft, before anyone else sees it; the map it
 * came from never changes. Forks stack up to `MAX_DEPTH`; the next fork merges the stack's changes
 * into one layer over the plain map at the bottom, or copies everything into a new plain map once
 * the changes are more than an eighth of it, so a read costs a few lookups and the copies are rare.
 *
 * Iteration order is not a plain map's (changed entries come first): the facility never depends on
 * it (every listing is sorted by rack and slot). Private fields, and a `Map` string tag, make two
 * of them with the same entries equal to Jest, whatever their stacks.
 */
export class ForkedMap<K, V> implements ReadonlyMap<K, V> {
  readonly #parent: ReadonlyMap<K, V>;
  readonly #changes: Map<K, V | typeof DELETED>;
  readonly #depth: number;
  #size: number;

  private constructor(
    parent: ReadonlyMap<K, V>,
    changes: Map<K, V | typeof DELETED>,
    depth: number,
    size: number,
  ) {
    this.#parent = parent;
    this.#changes = changes;
    this.#depth = depth;
    this.#size = size;
  }

  /** A draft over `map` (plain or forked), to change without changing `map`. */
  static fork<K, V>(map: ReadonlyMap<K, V> = new Map<K, V>()): ForkedMap<K, V> {
    if (!(map instanceof ForkedMap)) return new ForkedMap<K, V>(map, new Map(), 1, map.size);
    const forked = map as ForkedMap<K, V>;
    if (forked.#depth < MAX_DEPTH)
      return new ForkedMap<K, V>(forked, new Map(), forked.#depth + 1, forked.#size);
    const { root, changes } = forked.#merged();
    if (changes.size * 8 > root.size) return new ForkedMap<K, V>(new Map(forked), new Map(), 1, forked.#size);
    return new ForkedMap<K, V>(root, changes, 1, forked.#size);
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  get size(): number {
    return this.#size;
  }

  get(key: K): V | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking down the stack of forks
    let map: ReadonlyMap<K, V> = this;
    while (map instanceof ForkedMap) {
      const forked = map as ForkedMap<K, V>;
      if (forked.#changes.has(key)) {
        const value = forked.#changes.get(key);
        return value === DELETED ? undefined : (value as V);
      }
      map = forked.#parent;
    }
    return map.get(key);
  }

  has(key: K): boolean {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking down the stack of forks
    let map: ReadonlyMap<K, V> = this;
    while (map instanceof ForkedMap) {
      const forked = map as ForkedMap<K, V>;
      if (forked.#changes.has(key)) return forked.#changes.get(key) !== DELETED;
      map = forked.#parent;
    }
    return map.has(key);
  }

  /** Drafts only. */
  set(key: K, value: V): this {
    if (!this.has(key)) this.#size += 1;
    this.#changes.set(key, value);
    return this;
  }

  /** Drafts only. */
  delete(key: K): boolean {
    if (!this.has(key)) return false;
    if (this.#parent.has(key)) this.#changes.set(key, DELETED);
    else this.#changes.delete(key);
    this.#size -= 1;
    return true;
  }

  *entries(): MapIterator<[K, V]> {
    const seen = new Set<K>();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking down the stack of forks
    let map: ReadonlyMap<K, V> = this;
    while (map instanceof ForkedMap) {
      const forked = map as ForkedMap<K, V>;
      for (const [key, value] of forked.#changes) {
        if (seen.has(key)) continue;
        seen.add(key);
        if (value !== DELETED) yield [key, value as V];
      }
      map = forked.#parent;
    }
    for (const entry of map) if (!seen.has(entry[0])) yield entry;
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** The plain map at the bottom of the stack and every fork's changes over it, newest winning. */
  #merged(): { root: ReadonlyMap<K, V>; changes: Map<K, V | typeof DELETED> } {
    const layers: Map<K, V | typeof DELETED>[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking down the stack of forks
    let map: ReadonlyMap<K, V> = this;
    while (map instanceof ForkedMap) {
      const forked = map as ForkedMap<K, V>;
      layers.push(forked.#changes);
      map = forked.#parent;
    }
    const changes = new Map<K, V | typeof DELETED>();
    for (const layer of layers.reverse())
      for (const [key, value] of layer) {
        // A key the root lacks and a fork added then deleted leaves nothing to record.
        if (value === DELETED && !map.has(key)) changes.delete(key);
        else changes.set(key, value);
      }
    return { root: map, changes };
  }
}
