/**
 * The mTLS mode a workload's proxy accepts on a port, composed from the
 * PeerAuthentications as pilot does (`ComposePeerAuthentication`,
 * pilot/pkg/security/authn/policy_applier.go, and `getConfigsForWorkload`):
 *
 * - mesh-wide: a policy without selector in the root namespace (istio-system);
 * - namespace-wide: a policy without selector (or with empty matchLabels) in
 *   the workload's namespace;
 * - workload: a policy in the workload's namespace whose `selector.matchLabels`
 *   the pod labels include (a policy with a selector in the root namespace
 *   applies to nothing);
 * - at each level the oldest policy wins (creationTimestamp, then name);
 * - the mode starts PERMISSIVE and each level with a mode other than UNSET
 *   overrides it; `portLevelMtls` of the workload policy (keyed by the pod's
 *   port) overrides it per port, UNSET there inheriting the workload's mode.
 */
import type { PeerAuthentication } from "../../../manifests/schemas/istio.js";
import type { FieldPath } from "../../../manifests/types.js";
import type { MeshModel, Typed, Workload } from "../../../mesh/types.js";
import { ISTIO_ROOT_NAMESPACE } from "../../../routing/istio/destination-rules.js";
import { selectorMatches } from "./label-selectors.js";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

export interface EffectivePeerAuthentication {
  mode: MtlsMode;
  /** The policy and field that decided the mode; null for the PERMISSIVE default. */
  decidedBy: { policy: Typed<PeerAuthentication>; path: FieldPath } | null;
}

export type PeerAuthenticationResolver = (w: Workload, podPort: number | null) => EffectivePeerAuthentication;

export function peerAuthenticationResolver(model: MeshModel): PeerAuthenticationResolver {
  const policies = [...model.list<PeerAuthentication>("security.istio.io/PeerAuthentication")].sort(byAge);
  const nsOf = (p: Typed<PeerAuthentication>) => p.namespace ?? model.defaultNamespace;
  const selectorOf = (p: Typed<PeerAuthentication>) => p.obj.spec?.selector?.matchLabels ?? {};
  const mesh = policies.find((p) => nsOf(p) === ISTIO_ROOT_NAMESPACE && Object.keys(selectorOf(p)).length === 0) ?? null;

  return (w, podPort) => {
    const namespaceWide =
      w.namespace === ISTIO_ROOT_NAMESPACE
        ? null
        : (policies.find((p) => nsOf(p) === w.namespace && Object.keys(selectorOf(p)).length === 0) ?? null);
    const workload =
      w.namespace === ISTIO_ROOT_NAMESPACE
        ? null
        : (policies.find((p) => {
            const sel = selectorOf(p);
            return nsOf(p) === w.namespace && Object.keys(sel).length > 0 && selectorMatches(sel, w.labels);
          }) ?? null);

    let result: EffectivePeerAuthentication = { mode: "PERMISSIVE", decidedBy: null };
    for (const p of [mesh, namespaceWide, workload]) {
      const mode = modeOf(p?.obj.spec?.mtls?.mode);
      if (p && mode) result = { mode, decidedBy: { policy: p, path: ["spec", "mtls", "mode"] } };
    }
    if (workload && podPort !== null) {
      const key = String(podPort);
      const perPort = workload.obj.spec?.portLevelMtls;
      if (perPort && Object.hasOwn(perPort, key)) {
        const mode = modeOf(perPort[key]?.mode);
        if (mode) result = { mode, decidedBy: { policy: workload, path: ["spec", "portLevelMtls", key, "mode"] } };
      }
    }
    return result;
  };
}

function modeOf(mode: string | undefined): MtlsMode | null {
  const m = mode?.toUpperCase();
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : null;
}

/**
 * Oldest first: metadata.creationTimestamp (RFC 3339, so text order is time
 * order), then name. An object without one does not exist yet and will be the
 * newest when applied, so it sorts last.
 */
function byAge(a: Typed<PeerAuthentication>, b: Typed<PeerAuthentication>): number {
  const ta = creationTimestamp(a);
  const tb = creationTimestamp(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.res.name < b.res.name ? -1 : a.res.name > b.res.name ? 1 : 0;
}

function creationTimestamp(p: Typed<PeerAuthentication>): string {
  const meta = p.res.object["metadata"] as Record<string, unknown> | undefined;
  const ts = meta?.["creationTimestamp"];
  return typeof ts === "string" ? ts : "\uffff";
}
