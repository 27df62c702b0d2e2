/**
 * Resolves VirtualService destinations to table backends: the host in the
 * namespace of the resource that names it, the subset through the
 * DestinationRule Istio would apply for a client in that namespace, and the
 * pod selector (service selector + subset labels). A subset that resolves to
 * nothing keeps its name with selector null and yields one finding per field.
 */
import type { Finding } from "../../findings.js";
import { findingAt, formatPath } from "../../findings.js";
import type { IstioDestination } from "../../manifests/schemas/istio.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import { resolveIstioHost } from "../../mesh/hosts.js";
import type { Labels, MeshModel } from "../../mesh/types.js";
import type { DestinationRuleIndex, ResolvedDestinationRule, SubsetDefinition } from "./destination-rules.js";
import { istioRouteCodes, routeFinding } from "./istio-route-codes.js";

export interface ResolvedDestination {
  service: string;
  subset: string | null;
  port: number | null;
  selector: Labels | null;
  /** The DestinationRule that defined the subset, when one did. */
  destinationRule: ResolvedDestinationRule | null;
}

export interface BackendResolver {
  /** `path` locates the destination object inside `res` (e.g. `spec.http[0].route[1].destination`). */
  resolve(res: Resource, path: FieldPath, dest: IstioDestination, namespace: string): ResolvedDestination;
}

export function backendResolver(model: MeshModel, rules: DestinationRuleIndex, findings: Finding[]): BackendResolver {
  const cache = new Map<string, ResolvedDestination>();
  // One pod selector per subset (and host selector), however many routes name it.
  const selectors = new Map<SubsetDefinition, { base: Labels | null; merged: Labels }>();
  const subsetSelector = (base: Labels | null, subset: SubsetDefinition): Labels => {
    const known = selectors.get(subset);
    if (known && known.base === base) return known.merged;
    const merged = mergeLabels(base, subset.labels);
    selectors.set(subset, { base, merged });
    return merged;
  };
  return {
    resolve(res, path, dest, namespace) {
      const key = `${res.file}#${res.docIndex}|${formatPath(path)}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const service = resolveIstioHost(dest.host, namespace, model.clusterDomain);
      const port = dest.port?.number ?? null;
      const serviceSelector = rules.serviceSelector(service);
      let out: ResolvedDestination;
      if (!dest.subset) {
        out = { service, subset: null, port, selector: serviceSelector, destinationRule: null };
      } else {
        const dr = rules.forHost(service, namespace);
        const subset = dr?.subsets.get(dest.subset);
        if (subset && dr) {
          out = { service, subset: dest.subset, port, selector: subsetSelector(serviceSelector, subset), destinationRule: dr };
        } else {
          out = { service, subset: dest.subset, port, selector: null, destinationRule: dr };
          findings.push(subsetNotFound(res, [...path, "subset"], service, dest.subset, namespace, dr));
        }
      }
      cache.set(key, out);
      return out;
    },
  };
}

/** `base` with `extra` on top, as one new object. */
function mergeLabels(base: Labels | null, extra: Labels): Labels {
  return Object.fromEntries(base ? [...Object.entries(base), ...Object.entries(extra)] : Object.entries(extra));
}

function subsetNotFound(
  res: Resource,
  path: FieldPath,
  host: string,
  subset: string,
  namespace: string,
  dr: ResolvedDestinationRule | null,
): Finding {
  const message = dr
    ? `subset "${subset}" of ${host} is not defined by DestinationRule ${dr.namespace}/${dr.rules[0]!.res.name}` +
      ` (subsets: ${[...dr.subsets.keys()].join(", ") || "none"})`
    : `subset "${subset}" of ${host} is not defined: no DestinationRule for this host applies to namespace ${namespace}`;
  return findingAt(
    res,
    path,
    routeFinding(
      istioRouteCodes.subsetNotFound,
      message,
      `Define a subset named "${subset}" in the DestinationRule for ${host}, or route to a subset it defines.`,
    ),
  );
}
