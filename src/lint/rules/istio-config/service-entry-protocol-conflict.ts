import type { ServiceEntry } from "../../../manifests/schemas/istio.js";
import type { Typed } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { exportScopes } from "./destination-rule-host.js";

const SERVICE_ENTRY = "networking.istio.io/ServiceEntry" as const;
const EVERYWHERE = "*";

interface PortDeclaration {
  entry: Typed<ServiceEntry>;
  index: number;
  protocol: string;
}

/**
 * istioctl serviceentry.ConflictingServiceEntryProtocolAnalyzer, IST0177
 * ConflictingServiceEntryProtocol
 * (pkg/config/analysis/analyzers/serviceentry/conflictingserviceentries.go).
 */
export const serviceEntryProtocolConflict: LintRule = {
  code: "MP1077",
  title: "ServiceEntries give one host and port different protocols",
  severity: "warning",
  docs:
    "Several ServiceEntries visible in the same namespace declare the same host and port number with different " +
    "protocols (for example HTTP and HTTPS on 443). A proxy has one listener and one cluster per host and port and " +
    "can build them for only one of the protocols, so the traffic the other entry describes is handled with the " +
    "wrong protocol and fails. Entries whose `exportTo` scopes do not overlap do not conflict.",
  equivalents: ["IST0177"],
  kinds: [SERVICE_ENTRY],
  check(ctx) {
    // (scope, host as written, port) -> declarations, in load order.
    const index = new Map<string, { scope: string; host: string; port: number; decls: PortDeclaration[] }>();
    ctx.forEach<ServiceEntry>(SERVICE_ENTRY, (entry) => {
      const spec = entry.obj.spec;
      if (!spec) return;
      const ns = entry.namespace ?? ctx.model.defaultNamespace;
      for (const scope of exportScopes(spec.exportTo ?? [], ns)) {
        for (const host of spec.hosts) {
          (spec.ports ?? []).forEach((p, i) => {
            const key = `${scope}\u0000${host}\u0000${p.number}`;
            let slot = index.get(key);
            if (!slot) index.set(key, (slot = { scope, host, port: p.number, decls: [] }));
            slot.decls.push({ entry, index: i, protocol: p.protocol ?? "" });
          });
        }
      }
    });

    const reported = new Set<Typed<ServiceEntry>>();
    for (const slot of index.values()) {
      // Entries exported everywhere are visible in every namespace-scoped slot too.
      const everywhere = slot.scope === EVERYWHERE ? [] : index.get(`${EVERYWHERE}\u0000${slot.host}\u0000${slot.port}`)?.decls ?? [];
      const decls = [...slot.decls, ...everywhere];
      const protocols = [...new Set(decls.map((d) => d.protocol.toUpperCase()))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(decls.map((d) => `${d.entry.namespace}/${d.entry.res.name}`))].sort();
      for (const d of decls) {
        if (reported.has(d.entry)) continue;
        reported.add(d.entry);
        ctx.report(
          d.entry.res,
          ["spec", "ports", d.index, "protocol"],
          `ServiceEntries ${names.join(", ")} declare host ${slot.host} port ${slot.port} with different protocols ` +
            `(${protocols.map((p) => p || "unset").join(", ")}); the proxies can serve it with only one of them`,
          { hint: `Declare one protocol for ${slot.host}:${slot.port} in every ServiceEntry, or narrow their exportTo.` },
        );
      }
    }
  },
};
