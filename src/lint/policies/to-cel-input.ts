/**
 * Plain JSON -> CEL values, as Kubernetes hands objects to CEL: a JSON number
 * without a fraction is a CEL `int`, any other number a `double` (apiserver
 * unstructured decoding keeps integers as int64), objects are maps with
 * string keys, arrays are lists.
 */
import type { CelInput } from "@bufbuild/cel";

export function toCelInput(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return value;
    case "number":
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case "object":
      break;
    default:
      return null;
  }
  if (Array.isArray(value)) return value.map(toCelInput);
  // A Map rather than the object itself, so keys such as `constructor` are data, not prototype members.
  const out = new Map<string, CelInput>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) out.set(k, toCelInput(v));
  }
  return out;
}
