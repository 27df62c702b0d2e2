/**
 * CEL values -> plain JSON, for the helpers that compute on what a policy
 * passes them: `int` and `uint` become numbers, maps objects, lists arrays.
 */
import { isCelList, isCelMap, isCelUint, type CelValue } from "@bufbuild/cel";

export function fromCelValue(value: CelValue): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (isCelUint(value)) return Number(value.value);
  if (isCelList(value)) return [...value].map(fromCelValue);
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(isCelUint(k) ? k.value : k)] = fromCelValue(v);
    return out;
  }
  return null;
}
