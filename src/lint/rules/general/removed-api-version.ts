/**
 * Resources written in an API version meshplan still parses only to explain
 * the migration (KindSchema `removedVersions`, with its `migration` text).
 *
 * - No longer served (error): Kubernetes removed apps/v1beta1, apps/v1beta2
 *   and extensions/v1beta1 workloads in 1.16 and the v1beta1 Ingress and
 *   IngressClass in 1.22 (Kubernetes deprecated API migration guide); Istio
 *   removed config.istio.io/v1alpha2 RouteRule and DestinationPolicy in 1.0.
 *   `kubectl apply` fails with "no matches for kind".
 * - Earlier SMI spec versions: which ones a cluster serves depends on the CRDs
 *   the mesh installed. OSM's CRDs (openservicemesh/osm cmd/osm-bootstrap/crds)
 *   serve exactly split.smi-spec.io/v1alpha2, specs.smi-spec.io/v1alpha4 and
 *   access.smi-spec.io/v1alpha3, so in a tree that is evidently OSM's (a
 *   MeshConfig, or a namespace labelled openservicemesh.io/monitored-by) the
 *   version OSM serves is fine and any other is an error. Elsewhere a
 *   superseded SMI version is a warning: the SMI SDK CRDs serve older versions too.
 */
import { allSchemas, schemaFor } from "../../../manifests/schemas/index.js";
import type { LintRule, RuleContext } from "../../rule.js";

/** The SMI version of each group that OSM's CRDs serve (`served: true`); the other versions are `served: false`. */
const OSM_SERVED: Readonly<Record<string, string>> = {
  "split.smi-spec.io": "v1alpha2",
  "specs.smi-spec.io": "v1alpha4",
  "access.smi-spec.io": "v1alpha3",
};

/**
 * The schemas' migrations for TrafficSplit lead to v1alpha4, which OSM does not serve; in an OSM tree the way out
 * is v1alpha2. (The HTTPRouteGroup, TCPRoute and TrafficTarget migrations already lead to the version OSM serves.)
 */
const OSM_TRAFFIC_SPLIT_MIGRATION =
  "Use apiVersion split.smi-spec.io/v1alpha2, the TrafficSplit version OSM serves: spec.service and spec.backends keep " +
  "their shape with whole-number weights (write v1alpha1 quantities such as 500m as integers, scaling every weight by the " +
  "same factor); v1alpha2 has no spec.matches.";

function isOsmTree(ctx: RuleContext): boolean {
  if (ctx.model.resources.some((r) => r.group === "config.openservicemesh.io" && r.kind === "MeshConfig")) return true;
  for (const ns of ctx.model.namespaces.values()) if (ns.osmMonitoredBy !== null) return true;
  return false;
}

function currentApiVersion(group: string, kind: string): string | null {
  for (const s of allSchemas)
    if (s.group === group && s.kind === kind && s.versions.length) return group ? `${group}/${s.versions[0]}` : s.versions[0]!;
  return null;
}

export const removedApiVersion: LintRule = {
  code: "MP1106",
  title: "Removed or superseded API version",
  severity: "error",
  docs:
    "The resource uses an API version that is no longer served (Kubernetes apps/v1beta1, apps/v1beta2 and " +
    "extensions/v1beta1 workloads, removed in 1.16; extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress and " +
    "IngressClass, removed in 1.22; Istio config.istio.io/v1alpha2 RouteRule and DestinationPolicy, removed in 1.0): " +
    "applying it fails, so whatever it routes is not configured. For an earlier SMI version it depends on the mesh: " +
    "OSM's CRDs serve only split.smi-spec.io/v1alpha2, specs.smi-spec.io/v1alpha4 and access.smi-spec.io/v1alpha3, " +
    "so in a tree with an OSM MeshConfig or OSM-monitored namespaces any other SMI version is an error; elsewhere a " +
    "superseded SMI version is a warning. meshplan still reads the resource so it can route it; the hint is the migration.",
  equivalents: [],
  // Every kind with a removed version; resources that fail their schema are checked too, so this reads the raw resources.
  kinds: [],
  check(ctx) {
    let osm: boolean | null = null;
    for (const res of ctx.model.resources) {
      const schema = schemaFor(res.group, res.version, res.kind);
      if (!schema?.removedVersions?.includes(res.version)) continue;
      const who = `${res.kind} ${res.namespace ? `${res.namespace}/` : ""}${res.name}`;
      const current = currentApiVersion(res.group, res.kind);
      const osmVersion = OSM_SERVED[res.group];
      let status: string;
      let severity: "error" | "warning" = "error";
      let hint = schema.migration;
      if (osmVersion !== undefined && (osm ??= isOsmTree(ctx))) {
        if (res.version === osmVersion) continue;
        if (res.group === "split.smi-spec.io") hint = OSM_TRAFFIC_SPLIT_MIGRATION;
        status =
          `OSM does not serve: its CRDs serve only ${res.group}/${osmVersion} of this group, ` +
          "so applying it fails and what it configures never takes effect";
      } else if (osmVersion !== undefined) {
        severity = "warning";
        status = `is superseded${current ? ` by ${current}` : ""}; whether the cluster still serves it depends on the SMI CRDs your mesh installs`;
      } else {
        status = `is no longer served${current ? ` (use ${current})` : ""}, so applying it fails with "no matches for kind" and what it configures never takes effect`;
      }
      ctx.report(res, ["apiVersion"], `${who} uses apiVersion ${res.apiVersion}, which ${status}.`, {
        severity,
        ...(hint ? { hint } : {}),
      });
    }
  },
};
