/**
 * The catalogue of SMI and OSM routing findings (MP04xx): references that do
 * not resolve and configuration OSM ignores or applies differently from what
 * the YAML suggests. Messages are built where the finding is raised.
 */
import type { CodeInfo, FindingInput, Severity } from "../../findings.js";
import { findingOf } from "../../findings.js";

export type SmiCode = CodeInfo;

export const smiCodes = {
  backendMissing: {
    code: "MP0401",
    title: "Service named by an SMI/OSM policy is not in the tree",
    severity: "error",
    docs:
      "A TrafficSplit backend (or an IngressBackend backend) names a Service that no manifest declares. " +
      "A backend without a Service has no port in common with the root service, so the SMI spec and OSM " +
      "leave it out and it receives no traffic. A backend with weight 0 that is not created yet is the " +
      "first step of the SMI rollout workflow and is reported as a warning.",
  },
  rootServiceMissing: {
    code: "MP0402",
    title: "TrafficSplit root service is not in the tree",
    severity: "error",
    docs:
      "spec.service must name a Kubernetes Service in the TrafficSplit's namespace: clients address it and OSM " +
      "programs the split on its ports. Without it there is nothing to resolve or intercept.",
  },
  routeGroupMissing: {
    code: "MP0403",
    title: "Referenced route group or match does not exist",
    severity: "error",
    docs:
      "A TrafficTarget rule, TrafficSplit match or Egress match names an HTTPRouteGroup, TCPRoute or a match " +
      "name that is not declared in the referring resource's namespace. OSM skips the reference, so the " +
      "traffic it was meant to allow is denied (or, for a split, never matched).",
  },
  multipleSplits: {
    code: "MP0404",
    title: "Several TrafficSplits for one root service",
    severity: "warning",
    docs:
      "OSM supports one TrafficSplit per root service; with several it logs " +
      "ErrMultipleSMISplitPerServiceUnsupported and applies one of them. meshplan applies the first in the tree.",
  },
  noWeight: {
    code: "MP0405",
    title: "TrafficSplit sends traffic nowhere",
    severity: "error",
    docs:
      "Every backend has weight 0 (or there are no backends). OSM requires a positive total weight; requests " +
      "to the root service get no upstream.",
  },
  targetIgnored: {
    code: "MP0406",
    title: "OSM ignores this TrafficTarget",
    severity: "warning",
    docs:
      "OSM only uses a TrafficTarget whose spec.destination.namespace equals its own namespace and whose rules are " +
      "all HTTPRouteGroup or TCPRoute (smi IsValidTrafficTarget). Anything else is skipped, so it allows nothing.",
  },
  backendPortMismatch: {
    code: "MP0407",
    title: "TrafficSplit backend lacks a port of the root service",
    severity: "warning",
    docs:
      "SMI traffic-split: there must be a port on every backend with the same number as the root service port; " +
      "a backend without it is not included for that port and receives none of its traffic.",
  },
  rootNamespaceMismatch: {
    code: "MP0408",
    title: "TrafficSplit root service names another namespace",
    severity: "warning",
    docs:
      "OSM takes the root service name from the first label of spec.service and always looks it up in the " +
      "TrafficSplit's own namespace; the root service, backends and split must share one namespace.",
  },
  invalidRegex: {
    code: "MP0409",
    title: "Invalid RE2 regular expression in an HTTPRouteGroup",
    severity: "error",
    docs:
      "pathRegex and header values are RE2 expressions (Envoy safe_regex). An invalid one makes Envoy reject " +
      "the route configuration; meshplan leaves the match out.",
  },
  featureDisabled: {
    code: "MP0410",
    title: "OSM policy disabled by a MeshConfig feature flag",
    severity: "warning",
    docs:
      "Retry policies take effect only with spec.featureFlags.enableRetryPolicy: true (off by default); Egress " +
      "and IngressBackend policies are off when enableEgressPolicy / enableIngressBackendPolicy are false.",
  },
  multipleMeshConfigs: {
    code: "MP0411",
    title: "Several OSM MeshConfigs",
    severity: "warning",
    docs: "OSM reads one MeshConfig, osm-mesh-config in its own namespace. meshplan uses that one, else the first.",
  },
  namespaceNotMonitored: {
    code: "MP0412",
    title: "SMI/OSM policy in a namespace OSM does not monitor",
    severity: "warning",
    docs:
      "OSM only reads policies in namespaces labelled openservicemesh.io/monitored-by. The Namespace in the tree " +
      "has no such label, so the policy has no effect.",
  },
  unsupportedReference: {
    code: "MP0413",
    title: "Reference kind OSM does not use as written",
    severity: "warning",
    docs:
      "A source or destination has a kind OSM does not honour here (e.g. a TrafficTarget source that is not a " +
      "ServiceAccount, a Retry destination that is not a Service, an IngressBackend IPRange source).",
  },
  sourceNamespaceMissing: {
    code: "MP0414",
    title: "TrafficTarget source without a namespace",
    severity: "warning",
    docs:
      "meshplan reads a source without namespace as the TrafficTarget's namespace. OSM compares the source " +
      "namespace literally, so an empty one matches no caller: write the namespace.",
  },
  tcpRouteOnHttpPort: {
    code: "MP0415",
    title: "TCPRoute allows only HTTP ports",
    severity: "info",
    docs:
      "OSM authorizes a port by its application protocol (appProtocol, else the port name prefix, default http): " +
      "TCPRoute rules govern TCP ports, HTTPRouteGroup rules govern HTTP ports. A TCPRoute that names only HTTP " +
      "ports of the destination allows nothing.",
  },
} as const satisfies Record<string, SmiCode>;

export function smiFinding(entry: SmiCode, message: string, options: { severity?: Severity; hint?: string } = {}): FindingInput {
  return findingOf(entry, message, options);
}
