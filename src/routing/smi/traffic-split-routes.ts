/**
 * SMI TrafficSplit (split.smi-spec.io v1alpha1..v1alpha4) -> mesh routes for
 * the root service.
 *
 * - The root `spec.service` may be written short or as an FQDN
 *   (`bookstore`, `bookstore.bookstore`, `...svc.cluster.local`); OSM takes its
 *   first label as the Service name and looks it up in the split's namespace.
 *   Backends are Service names in that namespace.
 * - Each backend gets weight / sum of the weights (v1alpha1 weights are
 *   Kubernetes quantities); a backend with weight 0 gets nothing.
 * - SMI traffic-split "Ports": a backend must have a port with the same
 *   number as the root service port, else it is not included for that port.
 *   When backends differ per port, each root port gets its own table entry.
 * - v1alpha3/v1alpha4 `spec.matches`: requests matching the referenced
 *   HTTPRouteGroups (merged into one group) are split over the backends; "If
 *   the header conditions don't match the incoming request, then routing will
 *   be handled by the Kubernetes service with the same name as spec.service"
 *   (traffic-split v1alpha4), so a second rule sends the rest to the root.
 * - OSM supports one TrafficSplit per root service and applies one of several
 *   (ErrMultipleSMISplitPerServiceUnsupported); meshplan applies the first.
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { AnyTrafficSplit, TrafficSplit } from "../../manifests/schemas/smi.js";
import type { FieldPath } from "../../manifests/types.js";
import { serviceFqdn } from "../../mesh/hosts.js";
import type { MeshModel, ServiceInfo, Typed } from "../../mesh/types.js";
import { originOf } from "../engine.js";
import type { EffectiveRule, HostRoutes, Origin, Protocol, RequestMatch, WeightedBackend } from "../types.js";
import { emptyPolicies } from "../types.js";
import { osmMonitored, unmonitoredFinding } from "./osm-monitored.js";
import { osmPortProtocol } from "./osm-port-protocol.js";
import { parseQuantity, toCommonScale } from "./parse-quantity.js";
import { percentShares } from "../weight-shares.js";
import type { RouteGroups } from "./route-groups.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface TrafficSplitRoutes {
  hosts: HostRoutes[];
  findings: Finding[];
}

interface Split {
  typed: Typed<AnyTrafficSplit>;
  namespace: string;
  rootName: string;
}

interface Backend {
  index: number;
  name: string;
  fqdn: string;
  svc: ServiceInfo;
}

interface PortVariant {
  port: number | null;
  protocol: Protocol;
  members: Backend[];
}

export function trafficSplitRoutes(model: MeshModel, groups: RouteGroups): TrafficSplitRoutes {
  const findings: Finding[] = [];
  const byRoot = new Map<string, Split[]>();
  for (const typed of model.list<AnyTrafficSplit>("split.smi-spec.io/TrafficSplit")) {
    const namespace = typed.namespace ?? model.defaultNamespace;
    if (!osmMonitored(model, namespace)) {
      findings.push(unmonitoredFinding(typed.res, namespace));
      continue;
    }
    const split: Split = { typed, namespace, rootName: rootServiceName(typed.obj.spec.service) };
    const key = `${namespace}/${split.rootName}`;
    const list = byRoot.get(key);
    if (list) list.push(split);
    else byRoot.set(key, [split]);
  }

  const hosts: HostRoutes[] = [];
  for (const [root, splits] of byRoot) {
    const [chosen, ...others] = splits as [Split, ...Split[]];
    for (const other of others) {
      findings.push(
        findingAt(
          other.typed.res,
          ["spec", "service"],
          smiFinding(
            smiCodes.multipleSplits,
            `TrafficSplit ${other.namespace}/${other.typed.res.name} splits root service ${root} like TrafficSplit ` +
              `${chosen.namespace}/${chosen.typed.res.name} (${chosen.typed.res.file}:${chosen.typed.res.position.line}); ` +
              "OSM applies only one of them, meshplan the first",
            { hint: "Keep one TrafficSplit per root service." },
          ),
        ),
      );
    }
    hosts.push(...splitHosts(model, groups, chosen, findings));
  }
  return { hosts, findings };
}

/** OSM `GetServiceFromHostname`: the first DNS label, without any `:port`. */
function rootServiceName(service: string): string {
  return service.split(".")[0]!.split(":")[0]!.toLowerCase();
}

function splitHosts(model: MeshModel, groups: RouteGroups, split: Split, findings: Finding[]): HostRoutes[] {
  const { typed, namespace, rootName } = split;
  const res = typed.res;
  const spec = typed.obj.spec;

  const labels = spec.service.split(".");
  if (labels.length >= 2 && labels[1] !== namespace) {
    findings.push(
      findingAt(
        res,
        ["spec", "service"],
        smiFinding(
          smiCodes.rootNamespaceMismatch,
          `TrafficSplit ${namespace}/${res.name}: spec.service ${spec.service} names namespace ${labels[1]}, but OSM ` +
            `looks the root service up in the split's namespace ${namespace}`,
          { hint: `Create the TrafficSplit in namespace ${labels[1]}, next to the root service and its backends.` },
        ),
      ),
    );
  }

  const rootFqdn = serviceFqdn(rootName, namespace, model.clusterDomain);
  const rootSvc = model.services.get(rootFqdn);
  if (!rootSvc) {
    findings.push(
      findingAt(
        res,
        ["spec", "service"],
        smiFinding(smiCodes.rootServiceMissing, `TrafficSplit ${namespace}/${res.name}: root service ${namespace}/${rootName} is not in the tree`, {
          hint: `Declare Service ${rootName} in namespace ${namespace}; clients address the root service.`,
        }),
      ),
    );
  }

  // Quantities for v1alpha1, whole numbers later: both parse exactly, and the schema rejected anything else.
  const weights = toCommonScale(spec.backends.map((b) => parseQuantity(b.weight) ?? { numerator: 0n, scale: 0 }));
  if (weights.every((w) => w <= 0n)) {
    findings.push(
      findingAt(
        res,
        ["spec", "backends"],
        smiFinding(
          smiCodes.noWeight,
          spec.backends.length === 0
            ? `TrafficSplit ${namespace}/${res.name} has no backends`
            : `TrafficSplit ${namespace}/${res.name}: every backend has weight 0, so traffic to ${rootFqdn} has no upstream`,
          { hint: "Give at least one backend a positive weight." },
        ),
      ),
    );
  }

  const present: Backend[] = [];
  spec.backends.forEach((b, index) => {
    const fqdn = serviceFqdn(b.service, namespace, model.clusterDomain);
    const svc = model.services.get(fqdn);
    if (svc) {
      present.push({ index, name: b.service, fqdn, svc });
      return;
    }
    const idle = weights[index]! <= 0n;
    findings.push(
      findingAt(
        res,
        ["spec", "backends", index, "service"],
        smiFinding(
          smiCodes.backendMissing,
          `TrafficSplit ${namespace}/${res.name}: backend service ${namespace}/${b.service} is not in the tree` +
            (idle ? " (weight 0: nothing is sent to it yet)" : "; it receives no traffic and the other backends share its weight"),
          { severity: idle ? "warning" : "error", hint: `Declare Service ${b.service} in namespace ${namespace} or remove the backend.` },
        ),
      ),
    );
  });

  const origins: Origin[] = [originOf(res, [])];
  const splitMatches: SplitMatches = res.version === "v1alpha1" ? { id: "", matches: [] } : resolveMatches(split, groups, origins, findings);

  return portVariants(rootSvc, present, res, namespace, findings).map((variant) => {
    const shares = percentShares(variant.members.map((b) => weights[b.index]!));
    const backends: WeightedBackend[] = [];
    variant.members.forEach((b, k) => {
      if (weights[b.index]! > 0n) backends.push({ service: b.fqdn, subset: null, port: variant.port, weight: shares[k]!, selector: b.svc.selector });
    });

    const rule = (id: string, matches: RequestMatch[], to: WeightedBackend[], at: FieldPath): EffectiveRule => ({
      id,
      name: null,
      matches,
      backends: to,
      policies: emptyPolicies(),
      origin: originOf(res, at),
    });
    let rules: EffectiveRule[];
    if (splitMatches.matches.length > 0 && variant.protocol !== "tcp") {
      const root: WeightedBackend = { service: rootFqdn, subset: null, port: variant.port, weight: 100, selector: rootSvc?.selector ?? null };
      rules = [rule(splitMatches.id, splitMatches.matches, backends, ["spec", "matches"]), rule("default", [], [root], ["spec", "service"])];
    } else {
      rules = [rule("default", [], backends, ["spec", "backends"])];
    }

    return {
      key: `smi|mesh|${rootFqdn}|${variant.port ?? "*"}|${variant.protocol}`,
      host: rootFqdn,
      port: variant.port,
      protocol: variant.protocol,
      source: "smi",
      attachment: "mesh",
      rules,
      origins,
    };
  });
}

/**
 * The backends that carry each root port. One variant for all ports (port
 * null) when every port has the same protocol and the same backends, which
 * is the usual case; else one per root port.
 */
function portVariants(
  rootSvc: ServiceInfo | undefined,
  present: Backend[],
  res: Typed<unknown>["res"],
  namespace: string,
  findings: Finding[],
): PortVariant[] {
  if (!rootSvc || rootSvc.ports.length === 0) return [{ port: null, protocol: "http", members: present }];

  for (const b of present) {
    const lacking = rootSvc.ports.filter((p) => !b.svc.ports.some((q) => q.port === p.port)).map((p) => p.port);
    if (lacking.length === 0) continue;
    findings.push(
      findingAt(
        res,
        ["spec", "backends", b.index, "service"],
        smiFinding(
          smiCodes.backendPortMismatch,
          `TrafficSplit ${namespace}/${res.name}: backend ${namespace}/${b.name} has no port ${lacking.join(", ")} of root service ` +
            `${rootSvc.namespace}/${rootSvc.name}, so it receives none of the traffic to ${lacking.length > 1 ? "those ports" : "that port"}`,
          { hint: `Give Service ${b.name} the same port numbers as ${rootSvc.name} (targetPort may differ).` },
        ),
      ),
    );
  }

  const perPort = rootSvc.ports.map((p) => ({
    port: p.port,
    protocol: osmPortProtocol(p),
    members: present.filter((b) => b.svc.ports.some((q) => q.port === p.port)),
  }));
  const signature = (v: PortVariant): string => `${v.protocol}|${v.members.map((b) => b.index).join(",")}`;
  const first = perPort[0]!;
  if (perPort.every((v) => signature(v) === signature(first))) return [{ ...first, port: null }];
  return perPort;
}

interface SplitMatches {
  id: string;
  matches: RequestMatch[];
}

/** The HTTPRouteGroups named by spec.matches, merged into one OR of request matches. */
function resolveMatches(split: Split, groups: RouteGroups, origins: Origin[], findings: Finding[]): SplitMatches {
  const { typed, namespace } = split;
  const res = typed.res;
  const refs = (typed.obj as TrafficSplit).spec.matches ?? [];
  const matches: RequestMatch[] = [];
  const ids: string[] = [];
  refs.forEach((ref, i) => {
    const group = groups.http(namespace, ref.name);
    if (!group) {
      findings.push(
        findingAt(
          res,
          ["spec", "matches", i, "name"],
          smiFinding(smiCodes.routeGroupMissing, `TrafficSplit ${namespace}/${res.name}: HTTPRouteGroup ${namespace}/${ref.name} is not in the tree`, {
            hint: `Declare HTTPRouteGroup ${ref.name} in namespace ${namespace}.`,
          }),
        ),
      );
      return;
    }
    origins.push(originOf(group.typed.res, []));
    const names = ref.matches ?? [];
    if (names.length === 0) {
      for (const m of group.matches) matches.push(...m.requestMatches);
      ids.push(ref.name);
      return;
    }
    names.forEach((name, j) => {
      const m = group.matches.find((x) => x.name === name);
      if (m) matches.push(...m.requestMatches);
      else {
        findings.push(
          findingAt(
            res,
            ["spec", "matches", i, "matches", j],
            smiFinding(smiCodes.routeGroupMissing, `TrafficSplit ${namespace}/${res.name}: HTTPRouteGroup ${namespace}/${ref.name} has no match named ${name}`, {
              hint: `Use one of: ${group.matches.map((x) => x.name).join(", ") || "(none)"}.`,
            }),
          ),
        );
      }
    });
    ids.push(`${ref.name}[${names.join(",")}]`);
  });
  return { id: `matches:${ids.join(",")}`, matches };
}
