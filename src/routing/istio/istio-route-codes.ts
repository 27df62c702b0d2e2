/**
 * Findings the Istio routing engine raises: configuration that changes what
 * the table says (a subset that resolves to nothing, a delegate that is not
 * there). Codes are stable; messages are built where the finding is raised.
 */
import type { CodeInfo, Finding, FindingInput } from "../../findings.js";
import { findingAt, findingOf, formatPath } from "../../findings.js";
import type { FieldPath, Resource } from "../../manifests/types.js";

export type RouteCode = CodeInfo;

export const istioRouteCodes = {
  subsetNotFound: {
    code: "MP0201",
    title: "subset not found",
    severity: "error",
    docs:
      "A VirtualService destination or mirror names a subset that the DestinationRule Istio applies to that host " +
      "does not define (or no DestinationRule applies at all). Envoy has no cluster for it, so requests routed " +
      "there fail with 503. istioctl analyze reports it as ReferencedResourceNotFound.",
    equivalents: ["IST0101"],
  },
  delegateNotFound: {
    code: "MP0202",
    title: "delegate VirtualService not found",
    severity: "error",
    docs:
      "An http route delegates to a VirtualService that is not in the tree, has `hosts` (so it is not a " +
      "delegate), or is not exported to the root's namespace. Istio drops the route, so requests fall through to " +
      "the next rule.",
    equivalents: [],
  },
  delegateConflict: {
    code: "MP0203",
    title: "delegate route conflicts with its root",
    severity: "warning",
    docs:
      "A delegate route's match is not a subset of any match of the root route that delegates to it (for " +
      "example a different exact path), so Istio ignores that delegate route.",
    equivalents: [],
  },
  nestedDelegate: {
    code: "MP0204",
    title: "nested delegation",
    severity: "warning",
    docs: "Istio supports one level of delegation; a delegate VirtualService whose route delegates again routes nowhere.",
    equivalents: [],
  },
  noWeightedDestination: {
    code: "MP0205",
    title: "every destination has weight 0",
    severity: "error",
    docs:
      "A route lists several destinations and none has a positive weight. Istio ignores zero-weight destinations " +
      "when there are several, so the route has no backend and matching requests fail.",
    equivalents: [],
  },
  policyTargetNotFound: {
    code: "MP0206",
    title: "AuthorizationPolicy target not found",
    severity: "warning",
    docs:
      "An AuthorizationPolicy `targetRef`/`targetRefs` names a Service, ServiceEntry or Gateway that is not in the " +
      "tree, or a kind Istio cannot attach policies to. The policy applies to nothing through that reference.",
    equivalents: [],
  },
} as const satisfies Record<string, RouteCode>;

export function routeFinding(c: RouteCode, message: string, hint?: string): FindingInput {
  return findingOf(c, message, hint ? { hint } : {});
}

export type RouteReporter = (res: Resource, path: FieldPath, finding: FindingInput) => void;

/** Reports each (resource, field, code) once, however many attachments, hosts and root routes reach it. */
export function routeReporter(findings: Finding[]): RouteReporter {
  const seen = new Set<string>();
  return (res, path, f) => {
    const key = `${res.file}#${res.docIndex}|${formatPath(path)}|${f.code}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(findingAt(res, path, f));
  };
}
