import type { DestinationRule, Gateway, Sidecar, VirtualService } from "../../../manifests/schemas/istio.js";
import type { Resource } from "../../../manifests/types.js";
import type { MeshModel, NamespaceInfo } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { ISTIO_ROOT_NAMESPACE } from "../../../routing/istio/destination-rules.js";
import { selectorMatches } from "./label-selectors.js";
import { workloadHasSidecar } from "./mesh-membership.js";

/** Namespaces istioctl leaves out of injection checks (`util.IsSystemNamespace`), plus Istio's root namespace. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage", ISTIO_ROOT_NAMESPACE]);

/**
 * A Namespace the tree declares without sidecar injection (neither
 * `istio-injection` nor `istio.io/rev`), while it holds Istio objects that
 * only sidecars act on: Sidecar resources, DestinationRules, and
 * VirtualServices bound to the mesh (no `gateways`, or `mesh` among them).
 * Its pods run without a proxy, so those objects do nothing for them.
 *
 * Like istioctl's NamespaceNotInjected (IST0102, injection.Analyzer), an
 * `istio-injection` label with any other value is a deliberate opt-out and
 * is not reported. Not reported either: namespaces in ambient mode (in the
 * mesh without sidecars), and namespaces whose workloads get a proxy anyway
 * (pods opting in with `sidecar.istio.io/inject: "true"`, or gateway
 * deployments an Istio Gateway selects, which hold DestinationRules for their
 * own outbound traffic). SMI and OSM objects in an unmonitored namespace are
 * the routing engine's MP0412.
 */
export const namespaceNotInMesh: LintRule = {
  code: "MP1049",
  title: "Namespace not in the mesh holds sidecar configuration",
  severity: "warning",
  docs:
    "A Namespace declared in the tree has no sidecar injection label (istio-injection=enabled or istio.io/rev), yet " +
    "it holds VirtualServices for mesh traffic, DestinationRules or Sidecar resources. Its pods start without an " +
    "Istio proxy, so their outbound calls bypass those routing rules and traffic policies, and calls to them get no " +
    "mTLS. Namespaces labelled istio-injection=disabled (a deliberate opt-out) or in ambient mode are not reported.",
  equivalents: ["IST0102"],
  kinds: ["/Namespace"],
  check(ctx) {
    const expecting = objectsExpectingSidecars(ctx.model);
    for (const [namespace, objects] of expecting) {
      const ns = ctx.model.namespaces.get(namespace);
      if (!ns || !ns.declared || !outsideMesh(ns) || SYSTEM_NAMESPACES.has(namespace)) continue;
      if (workloadsGetProxies(ctx.model, namespace)) continue;
      const declaration = ctx.find<unknown>("/Namespace", null, namespace);
      if (!declaration) continue;
      const shown = objects.slice(0, 5).map((r) => `${r.kind} ${r.name}`);
      const more = objects.length > shown.length ? ` and ${objects.length - shown.length} more` : "";
      ctx.report(
        declaration.res,
        ["metadata", "labels"],
        `Namespace ${namespace} is not enabled for Istio sidecar injection, but holds ${shown.join(", ")}${more}: ` +
          "its pods run without a sidecar, so these rules do not apply to their traffic",
        {
          hint:
            `Label the namespace for injection (metadata.labels istio-injection: enabled, i.e. kubectl label namespace ${namespace} istio-injection=enabled), ` +
            "or label it istio-injection=disabled if it is deliberately outside the mesh.",
        },
      );
    }
  },
};

function outsideMesh(ns: NamespaceInfo): boolean {
  if (ns.istioInjected || ns.labels["istio-injection"] !== undefined) return false;
  return ns.labels["istio.io/dataplane-mode"] !== "ambient";
}

function objectsExpectingSidecars(model: MeshModel): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  const add = (namespace: string | null, res: Resource) => {
    const ns = namespace ?? model.defaultNamespace;
    let list = out.get(ns);
    if (!list) out.set(ns, (list = []));
    list.push(res);
  };
  for (const vs of model.list<VirtualService>("networking.istio.io/VirtualService")) {
    const gateways = vs.obj.spec?.gateways ?? [];
    if (gateways.length === 0 || gateways.includes("mesh")) add(vs.namespace, vs.res);
  }
  for (const dr of model.list<DestinationRule>("networking.istio.io/DestinationRule")) add(dr.namespace, dr.res);
  for (const sc of model.list<Sidecar>("networking.istio.io/Sidecar")) add(sc.namespace, sc.res);
  return out;
}

function workloadsGetProxies(model: MeshModel, namespace: string): boolean {
  const gatewaySelectors = model.list<Gateway>("networking.istio.io/Gateway").map((g) => g.obj.spec?.selector ?? {});
  return model.workloads.some(
    (w) =>
      w.namespace === namespace &&
      (workloadHasSidecar(w, model) === true || gatewaySelectors.some((sel) => Object.keys(sel).length > 0 && selectorMatches(sel, w.labels))),
  );
}
