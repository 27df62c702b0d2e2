import type { LintRule } from "../../rule.js";
import { clientModeText, describeTargets, ruleName } from "./describe-mtls-conflict.js";
import { mtlsConflicts } from "./mtls-conflicts.js";

/**
 * A DestinationRule with `tls.mode: ISTIO_MUTUAL` towards workloads whose
 * PeerAuthentication is DISABLE. Kiali reports the same clash on the
 * PeerAuthentication as KIA0505 (namespace-wide DISABLE policy) and KIA0506
 * (mesh-wide); here it is located at the DestinationRule's `tls.mode`, the
 * setting that makes the clients' requests fail.
 */
export const mutualTlsToMtlsDisabled: LintRule = {
  code: "MP1051",
  title: "DestinationRule sends mutual TLS to a workload with mTLS disabled",
  severity: "error",
  docs:
    "A DestinationRule sets `tls.mode: ISTIO_MUTUAL` for a service whose workloads a PeerAuthentication puts in " +
    "DISABLE mode (mesh-wide, namespace-wide or by workload selector, with port-level overrides). The client proxy " +
    "starts an Istio mTLS handshake, the server proxy expects plaintext and cannot read it, so every request on that " +
    "path fails.",
  equivalents: ["KIA0505", "KIA0506"],
  kinds: ["networking.istio.io/DestinationRule"],
  check(ctx) {
    if (ctx.model.list("security.istio.io/PeerAuthentication").length === 0) return;
    for (const c of mtlsConflicts(ctx.model)) {
      if (c.kind !== "mutual-to-disabled") continue;
      ctx.report(
        c.rule.res,
        c.path,
        `DestinationRule ${ruleName(c, ctx.model)} sets ${clientModeText(c)}, but the destination has mTLS disabled: ${describeTargets(c, ctx.model)}; ` +
          "the server proxy expects plaintext and the requests fail",
        { hint: "Remove the tls block (auto mTLS then matches the server), or set the PeerAuthentication to PERMISSIVE or STRICT." },
      );
    }
  },
};
