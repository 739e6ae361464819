/** JSON a process just wrote and will read straight back: the parsed value kept by its text, so the read skips the parse. */

/** Thrown inside `jsonClone` for a value whose JSON round trip it does not reproduce; never escapes this module. */
class NotPlain extends Error {}

/**
 * Exactly what `JSON.parse(JSON.stringify(v))` returns, built without the text: plain objects (own
 * enumerable keys in order, `undefined`/function values dropped), arrays (those become null), strings,
 * booleans, null, and numbers (non-finite become null, −0 becomes 0).
 * @throws NotPlain for anything else (a `toJSON`, a class instance, a typed array, a `__proto__` key).
 */
function jsonClone(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case 'object':
      break;
    default:
      throw new NotPlain();
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new NotPlain();
    const out: unknown[] = [];
    for (const x of v as unknown[]) out.push(x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : jsonClone(x));
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') throw new NotPlain();
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (k === '__proto__') throw new NotPlain(); // JSON.parse makes it an own key; an assignment here would not
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    out[k] = jsonClone(x);
  }
  return out;
}

/**
 * A bounded FIFO of parsed values by their JSON text. `remember` stores what parsing `json` will give;
 * `take` hands it out once (the taker owns it) and forgets it. A miss (evicted, another process's row,
 * a restart) just means the caller parses.
 */
export interface JsonMemo {
  /** Remembers `value`'s JSON round trip under `json` (its JSON.stringify); skipped for values that are not plain JSON. */
  remember(json: string, value: unknown): void;
  take(json: string): unknown;
}

/** @param capacity most values held (the oldest go first). */
export function jsonMemo(capacity: number): JsonMemo {
  const byJson = new Map<string, unknown>();
  return {
    remember(json, value) {
      let parsed: unknown;
      try {
        parsed = jsonClone(value);
      } catch (err) {
        if (err instanceof NotPlain) return;
        throw err;
      }
      byJson.delete(json);
      byJson.set(json, parsed);
      if (byJson.size > capacity) byJson.delete(byJson.keys().next().value as string);
    },
    take(json) {
      const v = byJson.get(json);
      if (v !== undefined) byJson.delete(json);
      return v;
    },
  };
}
