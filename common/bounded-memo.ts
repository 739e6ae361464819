/** A small bounded memo: values derived from a string key (a job spec's JSON, a statement's SQL) built once. */

/**
 * A map from key to a value built on first use, holding at most `limit` entries (the oldest is evicted
 * first). For inputs a process sees again and again — every instruction of a job carries the same job
 * spec — so parsing or preparing happens once per distinct key instead of once per call.
 * Values are shared between callers: memoise only values nobody mutates.
 */
export interface BoundedMemo<V> {
  /** The value for `key`, built by `make` on a miss (a throwing `make` caches nothing). */
  get(key: string, make: (key: string) => V): V;
  readonly size: number;
}

/** @param limit most entries kept (≥ 1). */
export function boundedMemo<V>(limit: number): BoundedMemo<V> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`boundedMemo: "limit" expected integer ≥ 1, got ${limit}`);
  const cache = new Map<string, V>();
  return {
    get(key, make) {
      if (cache.has(key)) return cache.get(key) as V;
      const v = make(key);
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(key, v);
      return v;
    },
    get size() {
      return cache.size;
    },
  };
}
