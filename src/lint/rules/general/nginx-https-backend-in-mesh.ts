/**
 * ingress-nginx `nginx.ingress.kubernetes.io/backend-protocol: HTTPS` (or
 * GRPCS) makes the controller open its own TLS session to the pods. When the
 * pods run a mesh sidecar, that session meets a proxy that expects the mesh's
 * own transport:
 *
 * - OSM (docs "Ingress with Kubernetes Nginx Ingress Controller", section
 *   "HTTPS Ingress (mTLS and TLS)"): the sidecar accepts HTTPS from the
 *   ingress only with a client certificate OSM issued
 *   (MeshConfig `spec.certificate.ingressGateway`), which ingress-nginx
 *   presents through `proxy-ssl-secret` (with `proxy_ssl_name`
 *   `<service-account>.<namespace>.cluster.local`) and an IngressBackend with
 *   `protocol: https`; only `tls.skipClientCertValidation: true` lets a client
 *   without one in.
 * - Istio: the sidecar terminates Istio mutual TLS only. TLS that ingress-nginx
 *   originates without a mesh certificate is refused under STRICT mTLS, and
 *   under PERMISSIVE it is not decrypted but passed on as opaque bytes.
 *
 * Either way the handshake or the request fails and clients see 502. Mesh
 * membership is read from the Namespace labels in the tree
 * (`istio-injection`/`istio.io/rev`, `openservicemesh.io/monitored-by`).
 */
import type { Ingress, IngressClass, LegacyIngress } from "../../../manifests/schemas/ingress.js";
import type { IngressBackend as OsmIngressBackend } from "../../../manifests/schemas/smi.js";
import type { Resource } from "../../../manifests/types.js";
import type { NamespaceInfo, Typed } from "../../../mesh/types.js";
import type { LintRule, RuleContext } from "../../rule.js";

const NGINX = "nginx.ingress.kubernetes.io/";
const BACKEND_PROTOCOL = `${NGINX}backend-protocol`;
const PROXY_SSL_SECRET = `${NGINX}proxy-ssl-secret`;
const NGINX_CONTROLLER = "k8s.io/ingress-nginx";

/** Service names an Ingress sends to, in either API shape (v1 `service.name`, v1beta1 `serviceName`). */
function backendServices(res: Resource, obj: Ingress | LegacyIngress): string[] {
  const names = new Set<string>();
  if (res.version === "v1") {
    const spec = (obj as Ingress).spec;
    if (spec.defaultBackend?.service) names.add(spec.defaultBackend.service.name);
    for (const rule of spec.rules ?? []) for (const p of rule.http?.paths ?? []) if (p.backend.service) names.add(p.backend.service.name);
  } else {
    const spec = (obj as LegacyIngress).spec;
    if (spec.backend?.serviceName) names.add(spec.backend.serviceName);
    for (const rule of spec.rules ?? []) for (const p of rule.http?.paths ?? []) if (p.backend.serviceName) names.add(p.backend.serviceName);
  }
  return [...names].sort();
}

/** False when the tree shows the Ingress belongs to another controller, which ignores nginx annotations. */
function servedByNginx(ctx: RuleContext, res: Resource, obj: Ingress | LegacyIngress): boolean {
  const classes = ctx.model.list<IngressClass>("networking.k8s.io/IngressClass");
  const named = obj.spec.ingressClassName ?? res.annotations["kubernetes.io/ingress.class"] ?? null;
  const ic = named
    ? classes.find((c) => c.res.name === named)
    : classes.find((c) => c.res.annotations["ingressclass.kubernetes.io/is-default-class"] === "true");
  return !ic || ic.obj.spec.controller === NGINX_CONTROLLER;
}

/** OSM IngressBackend `tls.skipClientCertValidation: true` on an https port: the sidecar takes TLS without a client certificate. */
function osmSkipsClientCert(ctx: RuleContext, namespace: string, service: string): boolean {
  let skips = false;
  ctx.forEach<OsmIngressBackend>("policy.openservicemesh.io/IngressBackend", (ib) => {
    if ((ib.namespace ?? ctx.model.defaultNamespace) !== namespace) return;
    for (const b of ib.obj.spec.backends)
      if (b.name === service && b.port.protocol.toLowerCase() === "https" && b.tls?.skipClientCertValidation === true) skips = true;
  });
  return skips;
}

function meshOf(ns: NamespaceInfo | undefined): "istio" | "osm" | null {
  if (!ns) return null;
  if (ns.osmMonitoredBy !== null) return "osm";
  if (ns.istioInjected) return "istio";
  return null;
}

export const nginxHttpsBackendInMesh: LintRule = {
  code: "MP1104",
  title: "ingress-nginx sends its own TLS to a mesh workload",
  severity: "error",
  docs:
    "An Ingress served by ingress-nginx sets nginx.ingress.kubernetes.io/backend-protocol: HTTPS (or GRPCS) for " +
    "Services in a namespace that is in a service mesh (Istio-injected, or monitored by OSM), without " +
    "nginx.ingress.kubernetes.io/proxy-ssl-secret. The pods' sidecar expects the mesh's transport, not TLS from " +
    "ingress-nginx: OSM accepts HTTPS from the ingress only with the client certificate it issues for it " +
    "(MeshConfig certificate.ingressGateway, referenced by proxy-ssl-secret, and an IngressBackend with protocol " +
    "https), and an Istio sidecar terminates only Istio mutual TLS, refusing other TLS under STRICT mTLS and " +
    "passing it on undecrypted otherwise. The handshake or the request fails and clients get 502. An OSM " +
    "IngressBackend with tls.skipClientCertValidation: true for the Service is the one exception.",
  equivalents: [],
  kinds: ["networking.k8s.io/Ingress", "extensions/Ingress"],
  check(ctx) {
    const inspect = ({ res, obj, namespace }: Typed<Ingress | LegacyIngress>) => {
      const protocol = (res.annotations[BACKEND_PROTOCOL] ?? "").trim().toUpperCase();
      if (protocol !== "HTTPS" && protocol !== "GRPCS") return;
      if (res.annotations[PROXY_SSL_SECRET]?.trim()) return;
      if (!servedByNginx(ctx, res, obj)) return;
      const ns = namespace ?? ctx.model.defaultNamespace;
      const mesh = meshOf(ctx.model.namespaces.get(ns));
      if (!mesh) return;
      const services = backendServices(res, obj).filter((svc) => mesh !== "osm" || !osmSkipsClientCert(ctx, ns, svc));
      if (!services.length) return;
      const membership =
        mesh === "osm"
          ? `monitored by OSM (openservicemesh.io/monitored-by=${ctx.model.namespaces.get(ns)?.osmMonitoredBy})`
          : "Istio-injected";
      const expects =
        mesh === "osm"
          ? "the OSM sidecar accepts TLS from the ingress only with the client certificate OSM issues for it, so the handshake fails"
          : "the Istio sidecar terminates only Istio mutual TLS: it refuses this TLS under STRICT mTLS and passes it on undecrypted otherwise";
      ctx.report(
        res,
        ["metadata", "annotations", BACKEND_PROTOCOL],
        `Ingress ${ns}/${res.name} sends ${protocol} from ingress-nginx to ${services.map((s) => `Service ${ns}/${s}`).join(", ")} ` +
          `in namespace ${ns}, which is ${membership}, without ${PROXY_SSL_SECRET}: ${expects}; requests get 502.`,
        {
          hint:
            mesh === "osm"
              ? "Set MeshConfig spec.certificate.ingressGateway, point nginx.ingress.kubernetes.io/proxy-ssl-secret at that secret " +
                '(with proxy_ssl_name "<service-account>.<namespace>.cluster.local") and add an IngressBackend with protocol https; ' +
                "or send plain HTTP with an IngressBackend of protocol http."
              : "Send plain HTTP (backend-protocol HTTP) and let the mesh secure the hop by injecting a sidecar into ingress-nginx " +
                '(with nginx.ingress.kubernetes.io/service-upstream: "true"), or present a mesh-issued certificate through proxy-ssl-secret.',
        },
      );
    };
    ctx.forEach<Ingress | LegacyIngress>("networking.k8s.io/Ingress", inspect);
    ctx.forEach<LegacyIngress>("extensions/Ingress", inspect);
  },
};
