/**
 * The gateways a VirtualService can bind to, by `namespace/name`: Istio
 * Gateways (networking.istio.io) and Kubernetes Gateway API Gateways
 * (gateway.networking.k8s.io), which Istio also accepts in `gateways`.
 *
 * Read from the raw resources, not the schema-valid ones: a Gateway that fails
 * validation (say, without `servers`) still exists for istioctl's
 * GatewayAnalyzer, so a reference to it is not "not found".
 */
import type { MeshModel } from "../../../mesh/types.js";

export interface IndexedGateway {
  kind: "istio" | "kubernetes";
  namespace: string;
  name: string;
  /**
   * Istio: every server's `hosts`, as written (`ns/host`, `./host`, `*\/host`, `host`).
   * Kubernetes: every listener's `hostname`; null when a listener has none (it accepts any host).
   */
  hosts: (string | null)[];
}

export function gatewayIndex(model: MeshModel): ReadonlyMap<string, IndexedGateway> {
  const out = new Map<string, IndexedGateway>();
  for (const res of model.resources) {
    if (res.kind !== "Gateway") continue;
    const namespace = res.namespace ?? model.defaultNamespace;
    const key = `${namespace}/${res.name}`;
    const spec = record(res.object["spec"]);
    if (res.group === "networking.istio.io") {
      const hosts: string[] = [];
      for (const server of list(spec["servers"])) for (const h of list(record(server)["hosts"])) if (typeof h === "string") hosts.push(h);
      // Istio Gateways are looked up before Kubernetes ones of the same name.
      out.set(key, { kind: "istio", namespace, name: res.name, hosts });
    } else if (res.group === "gateway.networking.k8s.io" && out.get(key)?.kind !== "istio") {
      const hosts = list(spec["listeners"]).map((l) => {
        const h = record(l)["hostname"];
        return typeof h === "string" && h !== "" ? h : null;
      });
      out.set(key, { kind: "kubernetes", namespace, name: res.name, hosts });
    }
  }
  return out;
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
