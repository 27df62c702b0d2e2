/**
 * The catalogue of Ingress routing findings (MP031x). Messages are built where
 * the finding is raised; titles and docs live here.
 */
import type { RoutingCode } from "../gateway-api/gateway-api-findings.js";

export const ingressFindings = {
  canaryWithoutMain: {
    code: "MP0311",
    title: "ingress-nginx canary without a main Ingress",
    severity: "warning",
    docs:
      "An Ingress annotated nginx.ingress.kubernetes.io/canary: \"true\" does not route on its own: ingress-nginx " +
      "attaches it to the location of the main Ingress with the same class, host, path and pathType. Without one, " +
      "ingress-nginx drops the canary backend and the canary receives no traffic.",
    equivalents: [],
  },
  duplicatePath: {
    code: "MP0312",
    title: "Path already defined by another Ingress",
    severity: "warning",
    docs:
      "Two Ingresses of the same class define the same host, path and pathType. ingress-nginx keeps the location " +
      "of the oldest Ingress (by creationTimestamp, then namespace/name) and ignores the other.",
    equivalents: [],
  },
  backendNotFound: {
    code: "MP0313",
    title: "Ingress backend Service not found",
    severity: "error",
    docs:
      "An Ingress backend names a Service that is not in the tree. The routing table keeps the backend, as the Service " +
      "may be applied from elsewhere; if it does not exist in the cluster, the controller answers with HTTP 503.",
    equivalents: [],
  },
  portNotFound: {
    code: "MP0314",
    title: "Ingress backend port name not found",
    severity: "error",
    docs:
      "An Ingress backend names a Service port by name and the Service has no port of that name; the controller " +
      "cannot build an upstream and answers with HTTP 503.",
    equivalents: [],
  },
  resourceBackend: {
    code: "MP0315",
    title: "Ingress resource backend",
    severity: "info",
    docs:
      "An Ingress backend is a resource (e.g. a storage bucket) rather than a Service. Its behaviour is " +
      "controller-specific; meshplan leaves it out of the routing table.",
    equivalents: [],
  },
} satisfies Record<string, RoutingCode>;
