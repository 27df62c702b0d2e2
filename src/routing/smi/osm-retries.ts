/**
 * OSM Retry (policy.openservicemesh.io/v1alpha1) -> the retry policy of the
 * routes to its destination Services (OSM docs, "Retry"). OSM applies a
 * Retry only with MeshConfig spec.featureFlags.enableRetryPolicy: true (off
 * by default), only to HTTP, and only to destinations of kind Service.
 *
 * OSM programs the retry on the source service account's sidecar only; the
 * routing table has no per-caller dimension, so meshplan shows it on the
 * destination's routes for every caller. The first Retry for a destination
 * wins. retryBackoffBaseInterval has no place in the table and is not shown.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { MeshConfig, Retry } from "../../manifests/schemas/smi.js";
import { serviceFqdn } from "../../mesh/hosts.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { originOf } from "../engine.js";
import type { HostRoutes, RetryPolicy } from "../types.js";
import { osmMonitored, unmonitoredFinding } from "./osm-monitored.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface OsmRetries {
  hosts: HostRoutes[];
  findings: Finding[];
}

export function osmRetries(model: MeshModel, hosts: readonly HostRoutes[], meshConfig: Typed<MeshConfig> | null): OsmRetries {
  const findings: Finding[] = [];
  const out = hosts.map((h) => ({ ...h, rules: h.rules.map((r) => ({ ...r, policies: { ...r.policies } })), origins: [...h.origins] }));
  const enabled = meshConfig?.obj.spec?.featureFlags?.enableRetryPolicy === true;
  for (const typed of model.list<Retry>("policy.openservicemesh.io/Retry")) {
    const res = typed.res;
    const namespace = typed.namespace ?? model.defaultNamespace;
    const label = `Retry ${namespace}/${res.name}`;
    if (!osmMonitored(model, namespace)) {
      findings.push(unmonitoredFinding(res, namespace));
      continue;
    }
    if (!enabled) {
      findings.push(
        findingAt(
          res,
          [],
          smiFinding(
            smiCodes.featureDisabled,
            `${label} has no effect: ${meshConfig ? `MeshConfig ${meshConfig.res.name} does not set` : "no MeshConfig in the tree sets"} ` +
              "featureFlags.enableRetryPolicy: true (OSM's default is false)",
            { hint: "Set spec.featureFlags.enableRetryPolicy: true in the OSM MeshConfig." },
          ),
        ),
      );
      continue;
    }
    const spec = typed.obj.spec;
    if (spec.source.kind !== "ServiceAccount") {
      findings.push(
        findingAt(
          res,
          ["spec", "source", "kind"],
          smiFinding(smiCodes.unsupportedReference, `${label}: source kind ${spec.source.kind} is not a ServiceAccount; OSM applies the Retry to no caller`, {
            hint: "Use kind: ServiceAccount.",
          }),
        ),
      );
      continue;
    }
    const policy: RetryPolicy = { attempts: spec.retryPolicy.numRetries, perTryTimeout: spec.retryPolicy.perTryTimeout, retryOn: spec.retryPolicy.retryOn };
    spec.destinations.forEach((d, i) => {
      if (d.kind !== "Service") {
        findings.push(
          findingAt(
            res,
            ["spec", "destinations", i, "kind"],
            smiFinding(smiCodes.unsupportedReference, `${label}: destination kind ${d.kind} is not a Service; OSM skips it`, { hint: "Use kind: Service." }),
          ),
        );
        return;
      }
      const host = serviceFqdn(d.name, d.namespace, model.clusterDomain);
      for (const h of out) {
        if (h.host !== host || h.protocol === "tcp") continue;
        let applied = false;
        for (const r of h.rules) {
          if (r.policies.retries !== null) continue;
          r.policies.retries = { ...policy };
          applied = true;
        }
        if (applied) h.origins.push(originOf(res, ["spec", "destinations", i]));
      }
    });
  }
  return { hosts: out, findings };
}
