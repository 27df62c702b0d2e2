/**
 * Field-by-field comparison of two Kubernetes objects, and the server bookkeeping to leave out
 * before comparing. Plain values in, plain values out.
 */
import type { FieldPath } from "../manifests/types.js";
import { formatPath } from "../findings.js";

/** kubectl's client-side apply record; server-side apply neither reads nor needs it. */
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * What the API server writes for its own bookkeeping, never part of what anyone applies (API
 * conventions, "Metadata" and "Spec and Status"). `deletionTimestamp` is not here: an object
 * being deleted is a change worth seeing.
 */
export const serverFields = {
  metadata: ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"],
  annotations: [LAST_APPLIED_ANNOTATION],
  topLevel: ["status"],
} as const;

/**
 * A copy of `object` without server fields. The input is not touched; subtrees other than the
 * top level, metadata and annotations are shared. An annotations map left empty is dropped, so
 * a manifest without annotations matches the object kubectl annotated.
 */
export function withoutServerFields<T extends Record<string, unknown>>(object: T): T {
  const out: Record<string, unknown> = { ...object };
  for (const key of serverFields.topLevel) delete out[key];
  const metadata = object["metadata"];
  if (isRecord(metadata)) {
    const meta: Record<string, unknown> = { ...metadata };
    for (const key of serverFields.metadata) delete meta[key];
    const annotations = metadata["annotations"];
    if (isRecord(annotations)) {
      const kept: Record<string, unknown> = { ...annotations };
      for (const key of serverFields.annotations) delete kept[key];
      if (Object.keys(kept).length === 0) delete meta["annotations"];
      else meta["annotations"] = kept;
    }
    out["metadata"] = meta;
  }
  return out as T;
}

export type FieldChangeKind = "added" | "removed" | "changed";

export interface FieldChange {
  path: FieldPath;
  change: FieldChangeKind;
  /** Absent for `added`. */
  before?: unknown;
  /** Absent for `removed`. */
  after?: unknown;
}

/**
 * Every difference between `before` and `after`, depth first. Maps are compared key by key in
 * sorted order; lists element by element by index, so a longer or shorter list reports the
 * elements past the common length as added or removed; scalars by strict equality (`"50"` is not
 * `50`). A map, list or scalar replaced by a value of another shape is one `changed` entry.
 * Each value is visited once.
 */
export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: (string | number)[]) => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of unionSorted(Object.keys(a), Object.keys(b))) {
        const inA = Object.hasOwn(a, key);
        const inB = Object.hasOwn(b, key);
        path.push(key);
        if (inA && inB) walk(a[key], b[key], path);
        else if (inA) out.push({ path: [...path], change: "removed", before: a[key] });
        else out.push({ path: [...path], change: "added", after: b[key] });
        path.pop();
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const common = Math.min(a.length, b.length);
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        path.push(i);
        if (i < common) walk(a[i], b[i], path);
        else if (i < a.length) out.push({ path: [...path], change: "removed", before: a[i] });
        else out.push({ path: [...path], change: "added", after: b[i] });
        path.pop();
      }
      return;
    }
    const sameShape = isRecord(a) === isRecord(b) && Array.isArray(a) === Array.isArray(b);
    if (!sameShape || a !== b) out.push({ path: [...path], change: "changed", before: a, after: b });
  };
  walk(before, after, []);
  return out;
}

export interface ValueTextOptions {
  /** Longer renderings are cut to this many characters, ending in `…`. */
  maxLength: number;
}

export function defaultValueTextOptions(): ValueTextOptions {
  return { maxLength: 60 };
}

/** A value as compact JSON (`50`, `"50"`, `{"name":"v1"}`), shortened; `(absent)` for undefined. */
export function valueText(value: unknown, options: Partial<ValueTextOptions> = {}): string {
  const { maxLength } = { ...defaultValueTextOptions(), ...options };
  if (value === undefined) return "(absent)";
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= maxLength) return json;
  return `${json.slice(0, Math.max(1, maxLength - 1))}…`;
}

/** `spec.http[0].route[0].weight: 100 → 50`; added and removed fields show `(absent)` on their empty side. */
export function renderFieldChange(change: FieldChange, options: Partial<ValueTextOptions> = {}): string {
  return `${formatPath(change.path)}: ${valueText(change.before, options)} → ${valueText(change.after, options)}`;
}

/** Paths in a stable order: element by element, list indexes numerically and before field names. */
export function comparePaths(a: FieldPath, b: FieldPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function unionSorted(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
