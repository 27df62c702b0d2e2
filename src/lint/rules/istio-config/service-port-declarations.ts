/**
 * Service ports whose name or appProtocol declares no protocol Istio
 * supports, as istioctl's service.PortNameAnalyzer selects them
 * (pkg/config/analysis/analyzers/service/portname.go): Services in the
 * Kubernetes system namespaces, Istio's own control plane (an `istio` label,
 * or `release: istio`) and the Services Istio generates for gateways and
 * waypoints (`gateway.istio.io/managed`) are left out. On an ExternalName
 * Service a port named exactly `tcp` counts too: the proxy cannot tell the
 * traffic of such a port apart from other TCP traffic to external names.
 */
import type { Service, ServicePort } from "../../../manifests/schemas/kubernetes.js";
import type { MeshModel, Typed } from "../../../mesh/types.js";
import { istioPortProtocol } from "./istio-port-protocol.js";

export interface UndeclaredServicePort {
  service: Typed<Service>;
  index: number;
  port: ServicePort;
  externalName: boolean;
}

/** Namespaces Istio never injects (pkg/kube/inject IgnoredNamespaces). */
export const KUBERNETES_SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "local-path-storage",
]);

/** `gateway.istio.io/managed` values of Services Istio deploys itself. */
const ISTIO_MANAGED = new Set(["istio.io-gateway-controller", "istio.io-mesh-controller", "istio.io-eastwest-controller"]);

export function undeclaredServicePorts(model: MeshModel): UndeclaredServicePort[] {
  const out: UndeclaredServicePort[] = [];
  for (const service of model.list<Service>("/Service")) {
    if (service.namespace !== null && KUBERNETES_SYSTEM_NAMESPACES.has(service.namespace)) continue;
    const labels = service.res.labels;
    if ("istio" in labels || labels["release"] === "istio") continue;
    if (ISTIO_MANAGED.has(labels["gateway.istio.io/managed"] ?? "")) continue;
    const spec = service.obj.spec ?? {};
    const externalName = spec.type === "ExternalName";
    (spec.ports ?? []).forEach((port, index) => {
      const unsupported = istioPortProtocol(port) === null;
      if (unsupported || (externalName && port.name === "tcp")) out.push({ service, index, port, externalName });
    });
  }
  return out;
}
