import type { LintRule } from "../../rule.js";
import { clientModeText, describeTargets, ruleName } from "./describe-mtls-conflict.js";
import { mtlsConflicts } from "./mtls-conflicts.js";

/**
 * A DestinationRule whose `tls` makes clients send plaintext (DISABLE) or
 * TLS without an Istio client certificate (SIMPLE) to workloads whose
 * PeerAuthentication is STRICT. Kiali reports the same clash on the
 * DestinationRule as KIA0207 (namespace-wide STRICT policy) and KIA0208
 * (mesh-wide STRICT policy); here the workload, namespace and mesh policies
 * and their port-level overrides are composed as pilot does.
 */
export const plaintextToStrictMtls: LintRule = {
  code: "MP1050",
  title: "DestinationRule sends plaintext to a STRICT mTLS workload",
  severity: "error",
  docs:
    "A DestinationRule sets `tls.mode: DISABLE` or `SIMPLE` (or a `tls` block without mode, which is DISABLE) for a " +
    "service whose workloads a PeerAuthentication puts in STRICT mTLS mode (mesh-wide in istio-system, namespace-wide, " +
    "or by workload selector, with port-level overrides). The client proxy sends plaintext or one-way TLS, the server " +
    "proxy accepts only Istio mutual TLS and resets the connection, so every request on that path fails with 503.",
  equivalents: ["KIA0207", "KIA0208"],
  kinds: ["networking.istio.io/DestinationRule"],
  check(ctx) {
    if (ctx.model.list("security.istio.io/PeerAuthentication").length === 0) return;
    for (const c of mtlsConflicts(ctx.model)) {
      if (c.kind !== "plaintext-to-strict") continue;
      ctx.report(
        c.rule.res,
        c.path,
        `DestinationRule ${ruleName(c, ctx.model)} sets ${clientModeText(c)}, but the destination accepts only mutual TLS: ${describeTargets(c, ctx.model)}; ` +
          "the server proxy rejects these connections",
        {
          hint:
            c.clientMode === "SIMPLE"
              ? "Use tls.mode ISTIO_MUTUAL (or remove the tls block and let auto mTLS choose) for mesh destinations."
              : "Remove the tls block (auto mTLS then sends Istio mTLS), or set the PeerAuthentication for these ports to PERMISSIVE.",
        },
      );
    }
  },
};
