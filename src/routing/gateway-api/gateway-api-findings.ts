/**
 * The catalogue of Gateway API routing findings (MP030x): references a route
 * makes that the data plane cannot follow. Messages are built where the
 * finding is raised; titles and docs live here.
 */
import type { CodeInfo, FindingInput } from "../../findings.js";
import { findingOf } from "../../findings.js";

export type RoutingCode = CodeInfo;

export const gatewayApiFindings = {
  parentNotFound: {
    code: "MP0301",
    title: "Route parent not found",
    severity: "error",
    docs:
      "A parentRef names a Gateway or Service that is not in the tree. The route is not attached to that parent " +
      "and routes none of its traffic (Gateway API: the route's Accepted condition is False).",
    equivalents: [],
  },
  backendNotFound: {
    code: "MP0302",
    title: "Route backend Service not found",
    severity: "error",
    docs:
      "A backendRef or mirror names a Service that is not in the tree. The routing table keeps the backend, as the " +
      "Service may be applied from elsewhere; if it does not exist in the cluster, Gateway API answers the requests " +
      "that would have been sent to it with HTTP 500, in the proportion of that backend's weight.",
    equivalents: [],
  },
  crossNamespaceNotGranted: {
    code: "MP0303",
    title: "Cross-namespace backend without ReferenceGrant",
    severity: "error",
    docs:
      "A Gateway-bound route sends traffic to a Service in another namespace, and no ReferenceGrant in that " +
      "namespace allows it (Gateway API ResolvedRefs/RefNotPermitted). The backend is not configured and its " +
      "share of requests receives HTTP 500. Mesh (GAMMA) routes need no ReferenceGrant (GEP-1426).",
    equivalents: [],
  },
  noParentRefs: {
    code: "MP0304",
    title: "Route has no parentRefs",
    severity: "info",
    docs: "A route without parentRefs is attached to no Gateway and no Service, so it routes no traffic.",
    equivalents: [],
  },
  notAccepted: {
    code: "MP0305",
    title: "Route not accepted by its parent",
    severity: "warning",
    docs:
      "The parent exists but none of its listeners accepts the route: no listener has the named section or port, " +
      "the listener's allowedRoutes excludes the route's namespace or kind, or no route hostname intersects the " +
      "listener hostname. The route routes none of that parent's traffic.",
    equivalents: [],
  },
  unsupportedReference: {
    code: "MP0306",
    title: "Reference to a kind meshplan cannot resolve",
    severity: "warning",
    docs:
      "A parentRef or backendRef names a kind other than Gateway, Service or ServiceImport. Support for such kinds " +
      "is implementation-specific; meshplan leaves them out of the routing table.",
    equivalents: [],
  },
} satisfies Record<string, RoutingCode>;

export function routingFinding(entry: RoutingCode, message: string, hint?: string): FindingInput {
  return findingOf(entry, message, hint ? { hint } : {});
}
