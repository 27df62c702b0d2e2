import type { VirtualService } from "../../../manifests/schemas/istio.js";
import { resolveIstioHost } from "../../../mesh/hosts.js";
import type { Typed } from "../../../mesh/types.js";
import type { LintRule } from "../../rule.js";
import { hostsOverlap } from "./hosts-overlap.js";

const VIRTUAL_SERVICE = "networking.istio.io/VirtualService";
const ALL = "*";

/**
 * istioctl virtualservice.ConflictingMeshGatewayHostsAnalyzer: VirtualServices
 * bound to `mesh` (no `gateways`, or `mesh` among them) are grouped by
 * (visibility scope, host). The scope is `*` when `exportTo` is empty or holds
 * `*`, else each namespace it names (`.` = its own). VirtualServices in one
 * group conflict, and a host in a namespace scope also conflicts with every
 * all-namespaces VirtualService whose host overlaps it (wildcards included).
 * Each VirtualService is reported once.
 */
export const conflictingMeshVirtualServices: LintRule = {
  code: "MP1008",
  title: "conflicting VirtualServices for a mesh host",
  severity: "error",
  docs:
    "Several VirtualServices bound to the mesh (sidecars) define the same host for the same namespaces. A " +
    "sidecar uses only one VirtualService per host (the oldest; in git usually decided by name), so the rules of " +
    "the others are silently ignored for mesh traffic, and which one wins can change when one is re-created. " +
    "Merge them into one VirtualService, split them with delegation, or narrow their `exportTo`.",
  equivalents: ["IST0109"],
  kinds: [VIRTUAL_SERVICE],
  check(ctx) {
    /** `scope/host` -> VirtualServices, in load order, each once. */
    const groups = new Map<string, Set<Typed<VirtualService>>>();
    for (const vs of ctx.model.list<VirtualService>(VIRTUAL_SERVICE)) {
      const gateways = vs.obj.spec?.gateways ?? [];
      if (gateways.length > 0 && !gateways.includes("mesh")) continue;
      const namespace = vs.namespace ?? ctx.model.defaultNamespace;
      const exportTo = vs.obj.spec?.exportTo ?? [];
      const scopes = exportTo.length === 0 || exportTo.includes(ALL) ? [ALL] : [...new Set(exportTo.map((e) => (e === "." ? namespace : e)))];
      for (const scope of scopes) {
        for (const h of vs.obj.spec?.hosts ?? []) {
          const key = `${scope}/${resolveIstioHost(h, namespace, ctx.model.clusterDomain)}`;
          let group = groups.get(key);
          if (!group) groups.set(key, (group = new Set()));
          group.add(vs);
        }
      }
    }

    // All-namespaces groups, wildcard hosts apart: a concrete host meets them by key or through a wildcard.
    const allScoped = [...groups.entries()].filter(([key]) => key.startsWith(`${ALL}/`)).map(([key, g]) => ({ host: key.slice(2), group: g }));
    const allScopedWildcards = allScoped.filter((e) => e.host.startsWith("*"));
    const overlapping = (host: string) =>
      host.startsWith("*")
        ? allScoped.filter((e) => hostsOverlap(host, e.host))
        : [...(groups.has(`${ALL}/${host}`) ? [{ host, group: groups.get(`${ALL}/${host}`)! }] : []), ...allScopedWildcards.filter((e) => hostsOverlap(host, e.host))];
    const reported = new Set<Typed<VirtualService>>();
    for (const [key, group] of groups) {
      const slash = key.indexOf("/");
      const scope = key.slice(0, slash);
      const host = key.slice(slash + 1);
      const members = new Set(group);
      if (scope !== ALL) for (const other of overlapping(host)) for (const vs of other.group) members.add(vs);
      if (members.size < 2) continue;
      const names = [...members].map((vs) => `${vs.namespace ?? ctx.model.defaultNamespace}/${vs.res.name}`);
      for (const vs of members) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        const self = `${vs.namespace ?? ctx.model.defaultNamespace}/${vs.res.name}`;
        const others = names.filter((n) => n !== self);
        ctx.report(
          vs.res,
          ["metadata", "name"],
          `host ${host} is also defined for the mesh by VirtualService ${others.join(", ")}` +
            (scope === ALL ? "" : ` (as seen from namespace ${scope})`) +
            "; sidecars apply only one of them",
          { hint: "Merge the VirtualServices for this host into one, or use delegation or exportTo to separate them." },
        );
      }
    }
  },
};
