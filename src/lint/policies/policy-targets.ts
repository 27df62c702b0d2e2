/**
 * Which objects of a tree a policy applies to, following Kubernetes
 * ValidatingAdmissionPolicy `matchConstraints`:
 *
 * - `resourceRules`: group, version and kind (`*` for any), optionally names.
 *   Objects are looked up by kind in an index built once per tree, so a
 *   policy only ever visits the kinds it names.
 * - `namespaces` (meshplan's addition) and `namespaceSelector`: on the
 *   object's namespace; a Namespace object is matched by its own name and
 *   labels; any other cluster-scoped object is never excluded by them (as
 *   the apiserver's namespace matcher does). Namespace labels come from the
 *   Namespace objects in the tree; a namespace without one has no labels.
 * - `objectSelector`: on the object's labels, or on those of its BASE
 *   revision (the apiserver matches an update when either the new or the old
 *   object matches).
 */
import { groupKindOf, type Resource } from "../../manifests/types.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { labelSelectorMatches } from "./label-selector.js";
import type { MatchConstraints } from "./mesh-policy.js";

/** The schema-valid objects of a model, by API group and kind. */
export type ResourceIndex = ReadonlyMap<string, ReadonlyMap<string, readonly Typed<unknown>[]>>;

export function resourceIndex(model: MeshModel): ResourceIndex {
  const index = new Map<string, Map<string, Typed<unknown>[]>>();
  for (const res of model.resources) {
    // The model's own entry: schema-valid, and the declaration that wins when an object is declared twice.
    const typed = model.get<unknown>(groupKindOf(res), res.namespace, res.name);
    if (!typed || typed.res !== res) continue;
    let kinds = index.get(res.group);
    if (!kinds) index.set(res.group, (kinds = new Map()));
    let list = kinds.get(res.kind);
    if (!list) kinds.set(res.kind, (list = []));
    list.push(typed);
  }
  return index;
}

export interface TargetContext {
  model: MeshModel;
  /** The same object on the BASE revision, for objectSelector. */
  oldResource(target: Typed<unknown>): Resource | null;
}

export function policyTargets(constraints: MatchConstraints, index: ResourceIndex, ctx: TargetContext): Typed<unknown>[] {
  const seen = new Set<Typed<unknown>>();
  const out: Typed<unknown>[] = [];
  for (const rule of constraints.resourceRules) {
    const groups = rule.apiGroups.includes("*") ? [...index.keys()] : rule.apiGroups;
    for (const group of groups) {
      const kinds = index.get(group);
      if (!kinds) continue;
      const lists = rule.kinds.includes("*") ? [...kinds.values()] : rule.kinds.map((k) => kinds.get(k) ?? []);
      for (const list of lists) {
        for (const typed of list) {
          if (seen.has(typed)) continue;
          if (rule.apiVersions && !rule.apiVersions.includes("*") && !rule.apiVersions.includes(typed.res.version)) continue;
          if (rule.resourceNames && !rule.resourceNames.includes(typed.res.name)) continue;
          if (!inScope(constraints, typed, ctx)) continue;
          seen.add(typed);
          out.push(typed);
        }
      }
    }
  }
  return out;
}

function inScope(c: MatchConstraints, typed: Typed<unknown>, ctx: TargetContext): boolean {
  const isNamespace = typed.res.group === "" && typed.res.kind === "Namespace";
  const namespace = isNamespace ? typed.res.name : typed.namespace;
  if (namespace !== null) {
    if (c.namespaces && !c.namespaces.some((g) => globMatches(g, namespace))) return false;
    if (c.namespaceSelector) {
      const labels = isNamespace ? typed.res.labels : (ctx.model.namespaces.get(namespace)?.labels ?? {});
      if (!labelSelectorMatches(c.namespaceSelector, labels)) return false;
    }
  }
  if (c.objectSelector && !labelSelectorMatches(c.objectSelector, typed.res.labels)) {
    const old = ctx.oldResource(typed);
    if (!old || !labelSelectorMatches(c.objectSelector, old.labels)) return false;
  }
  return true;
}

/** `*` matches any run of characters, everything else itself. */
function globMatches(glob: string, text: string): boolean {
  const parts = glob.split("*");
  if (parts.length === 1) return glob === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || text.length < first.length + last.length || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const i = text.indexOf(middle, at);
    if (i < 0 || i + middle.length > end) return false;
    at = i + middle.length;
  }
  return true;
}
