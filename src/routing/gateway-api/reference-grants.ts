/**
 * ReferenceGrant (gateway.networking.k8s.io, GEP-709): a cross-namespace
 * reference from a route to a backend is allowed only when a ReferenceGrant in
 * the backend's namespace lists the route's group/kind/namespace in `from` and
 * the backend's group/kind (and name, when given) in `to`.
 */
import type { ReferenceGrant } from "../../manifests/schemas/gateway-api.js";
import type { MeshModel } from "../../mesh/types.js";

export interface GrantQuery {
  from: { group: string; kind: string; namespace: string };
  to: { group: string; kind: string; namespace: string; name: string };
}

export interface ReferenceGrants {
  allows(query: GrantQuery): boolean;
}

export function referenceGrants(model: MeshModel): ReferenceGrants {
  const grants = model.list<ReferenceGrant>("gateway.networking.k8s.io/ReferenceGrant");
  return {
    allows({ from, to }) {
      if (from.namespace === to.namespace) return true;
      return grants.some(
        (g) =>
          g.namespace === to.namespace &&
          g.obj.spec.from.some((f) => coreGroup(f.group) === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
          g.obj.spec.to.some((t) => coreGroup(t.group) === to.group && t.kind === to.kind && (!t.name || t.name === to.name)),
      );
    },
  };
}

/** The core API group is written "" (sometimes "core"). */
export function coreGroup(group: string | null | undefined): string {
  return group === "core" ? "" : (group ?? "");
}
