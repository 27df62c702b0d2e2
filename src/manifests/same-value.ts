/**
 * Equality of plain data (JSON values, and the records meshplan derives from
 * them), with object keys in the same order: two values it calls equal can
 * be used in place of each other, so the copy can be dropped and the one
 * kept shared. Anything that is not a plain object or array is compared with
 * `Object.is`-like identity (NaN equals NaN).
 *
 * With `anyKeyOrder`, objects with the same keys and values in another
 * order are equal too: where only the data matters, not how it is written.
 */
export function sameValue(a: unknown, b: unknown, anyKeyOrder = false): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], anyKeyOrder)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const pa = Object.getPrototypeOf(a);
  if (pa !== Object.getPrototypeOf(b) || (pa !== Object.prototype && pa !== null)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (anyKeyOrder ? !Object.hasOwn(b, k) : k !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], anyKeyOrder)) return false;
  }
  return true;
}
