/**
 * The Istio Gateways the tree declares, with the selector each one uses to
 * pick its proxies. Gateways the schema rejects are included (with no
 * servers): istioctl analyze still checks their selector, and a typo in it is
 * worth reporting next to the schema finding.
 */
import type { Gateway } from "../../../manifests/schemas/istio.js";
import type { Resource } from "../../../manifests/types.js";
import type { Labels, MeshModel } from "../../../mesh/types.js";
import { labelMapOf } from "./label-selectors.js";

export const ISTIO_GATEWAY = "networking.istio.io/Gateway" as const;
const SERVED_VERSIONS = new Set(["v1alpha3", "v1beta1", "v1"]);

export interface DeclaredGateway {
  res: Resource;
  namespace: string;
  /** `spec.selector`; `{}` when absent, which selects every workload. */
  selector: Labels;
  /** The schema-valid spec, null when the schema rejected the Gateway. */
  spec: NonNullable<Gateway["spec"]> | null;
}

export function declaredGateways(model: MeshModel): DeclaredGateway[] {
  const out: DeclaredGateway[] = [];
  const valid = new Set<Resource>();
  for (const typed of model.list<Gateway>(ISTIO_GATEWAY)) {
    valid.add(typed.res);
    const spec = typed.obj.spec ?? { servers: [] };
    out.push({ res: typed.res, namespace: typed.namespace ?? model.defaultNamespace, selector: { ...(spec.selector ?? {}) }, spec });
  }
  const validIds = new Set([...valid].map((r) => identity(r, model.defaultNamespace)));
  for (const res of model.resources) {
    if (res.group !== "networking.istio.io" || res.kind !== "Gateway" || !SERVED_VERSIONS.has(res.version)) continue;
    if (valid.has(res) || validIds.has(identity(res, model.defaultNamespace))) continue;
    const spec = res.object["spec"];
    const raw = spec !== null && typeof spec === "object" ? (spec as Record<string, unknown>)["selector"] : undefined;
    const selector = raw === undefined || raw === null ? {} : labelMapOf(raw);
    if (selector === null) continue;
    out.push({ res, namespace: res.namespace ?? model.defaultNamespace, selector, spec: null });
  }
  return out;
}

function identity(res: Resource, defaultNamespace: string): string {
  return `${res.namespace ?? defaultNamespace}/${res.name}`;
}

/** `namespace/name`, as istioctl names resources in its messages. */
export function fullName(res: Resource, namespace: string): string {
  return `${namespace}/${res.name}`;
}
