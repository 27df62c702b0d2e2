/**
 * From a routing-table origin back to the resource and field it names, so a
 * rule that reads the table can report at the field the engine pointed to.
 */
import type { FieldPath, Resource } from "../../../manifests/types.js";
import type { MeshModel } from "../../../mesh/types.js";
import type { Origin } from "../../../routing/types.js";
import { parseFieldPath } from "../../policies/parse-field-path.js";

/** `spec.rules[0].matches[1]` -> `["spec", "rules", 0, "matches", 1]`; an empty or unreadable path is the resource itself. */
export function fieldPathOf(dotted: string): FieldPath {
  return parseFieldPath(dotted) ?? [];
}

/** The value at `path` inside a plain JSON object, undefined when absent. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let cur: unknown = object;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Finds the resource an origin was built from (same file, apiVersion, kind, namespace and name). */
export function originResources(model: MeshModel): (origin: Origin) => Resource | undefined {
  const index = new Map<string, Resource>();
  const key = (file: string, r: { apiVersion: string; kind: string; namespace: string | null; name: string }) =>
    `${file}\u0000${r.apiVersion}\u0000${r.kind}\u0000${r.namespace ?? ""}\u0000${r.name}`;
  for (const res of model.resources) index.set(key(res.file, res), res);
  return (origin) => index.get(key(origin.file, origin.resource));
}
