/**
 * SMI traffic-access identities: a TrafficTarget's destination and sources
 * are service accounts, and OSM enforces them by the mTLS identity
 * `<service account>.<namespace>` of the pods (SMI traffic-access spec;
 * OSM "Traffic Access Control"). A name no pod runs as matches nothing: a
 * misspelt source allows no caller, a misspelt destination protects and
 * opens nothing while the intended pods stay denied.
 *
 * An account counts as declared when a ServiceAccount object or a workload's
 * serviceAccountName (Deployment, StatefulSet, DaemonSet, Pod) names it.
 * `default` exists in every namespace (the service account controller creates
 * it). A namespace in which the tree declares no identity at all is left
 * alone: its workloads are evidently managed elsewhere.
 */
import type { AnyTrafficTarget, TrafficTarget, TrafficTargetV1alpha1 } from "../../../manifests/schemas/smi.js";
import type { FieldPath } from "../../../manifests/types.js";
import type { ServiceAccount } from "../../../manifests/schemas/kubernetes.js";
import type { Typed } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";

interface IdentityRef {
  kind: string;
  name: string;
  namespace?: string | null | undefined;
}

/** Destination and sources with their field paths; access.smi-spec.io/v1alpha1 keeps them at the top level. */
function identities(typed: Typed<AnyTrafficTarget>): { ref: IdentityRef; path: FieldPath; role: "destination" | "source" }[] {
  const topLevel = typed.res.version === "v1alpha1";
  const base: FieldPath = topLevel ? [] : ["spec"];
  const body = topLevel ? (typed.obj as TrafficTargetV1alpha1) : (typed.obj as TrafficTarget).spec;
  return [
    { ref: body.destination, path: [...base, "destination", "name"], role: "destination" as const },
    ...(body.sources ?? []).map((ref, i) => ({ ref, path: [...base, "sources", i, "name"], role: "source" as const })),
  ];
}

export const trafficTargetServiceAccountNotFound: LintRule = {
  code: "MP1103",
  title: "TrafficTarget names an unknown service account",
  severity: "warning",
  docs:
    "A TrafficTarget destination or source names a service account that no ServiceAccount object and no workload " +
    "(serviceAccountName of a Deployment, StatefulSet, DaemonSet or Pod) in its namespace declares. OSM matches " +
    "TrafficTargets against the mTLS identity of the pods, so a source that no pod runs as allows no caller, and " +
    "a destination that no pod runs as opens nothing while the pods meant to be reached stay denied. `default` " +
    "always exists; namespaces in which the tree declares no service account or workload are not checked.",
  equivalents: [],
  kinds: ["access.smi-spec.io/TrafficTarget"],
  check(ctx) {
    const declared = new Map<string, Set<string>>();
    const declare = (namespace: string, name: string) => {
      let names = declared.get(namespace);
      if (!names) declared.set(namespace, (names = new Set()));
      names.add(name);
    };
    ctx.forEach<ServiceAccount>("/ServiceAccount", (sa) => declare(sa.namespace ?? ctx.model.defaultNamespace, sa.res.name));
    for (const w of ctx.model.workloads) declare(w.namespace, w.serviceAccount);

    ctx.forEach<AnyTrafficTarget>("access.smi-spec.io/TrafficTarget", (typed) => {
      const own = typed.namespace ?? ctx.model.defaultNamespace;
      for (const { ref, path, role } of identities(typed)) {
        // Another kind is MP0413's finding; a source without a namespace is MP0414's.
        if (ref.kind !== "ServiceAccount" || ref.name === "default") continue;
        const namespace = ref.namespace || own;
        const names = declared.get(namespace);
        if (!names || names.has(ref.name)) continue;
        const sorted = [...names].sort();
        const known = sorted.length > 10 ? [...sorted.slice(0, 10), `and ${sorted.length - 10} more`] : sorted;
        const effect =
          role === "source"
            ? "so this source allows no caller"
            : "so the TrafficTarget applies to no pod, and the pods it was meant for are not opened to its sources";
        ctx.report(
          typed.res,
          path,
          `TrafficTarget ${own}/${typed.res.name} ${role} service account ${namespace}/${ref.name} is not declared in the tree ` +
            `(no ServiceAccount and no workload runs as it), ${effect}.`,
          { hint: `Service accounts declared in ${namespace}: ${known.join(", ")}. Fix the name, or declare ServiceAccount ${ref.name} in ${namespace}.` },
        );
      }
    });
  },
};
