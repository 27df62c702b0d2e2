/**
 * SMI TrafficTarget (access.smi-spec.io v1alpha1..v1alpha3) -> allow rules.
 *
 * A TrafficTarget allows its sources (service accounts, identified by their
 * mTLS principal) to reach the pods running as the destination service
 * account, on the traffic its rules describe (SMI traffic-access):
 * - an HTTPRouteGroup rule allows the listed `matches`, or every match of the
 *   group when `matches` is omitted ("a OR relationship");
 * - a TCPRoute rule allows its ports, or every port when it lists none;
 * - v1alpha1/v1alpha2 `destination.port` limits every rule to that port.
 * Route groups are looked up in the TrafficTarget's namespace, as OSM does.
 *
 * OSM uses a TrafficTarget only if its destination namespace equals its own
 * namespace and every rule is an HTTPRouteGroup or TCPRoute; it authorizes
 * HTTP ports with HTTPRouteGroup rules and TCP ports with TCPRoute rules (a
 * port's protocol is its appProtocol, else its name prefix, else http).
 */
import type { Finding } from "../../findings.js";
import { findingAt } from "../../findings.js";
import type { AnyTrafficTarget, TrafficTarget, TrafficTargetRule, TrafficTargetV1alpha1 } from "../../manifests/schemas/smi.js";
import type { FieldPath } from "../../manifests/types.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import { principalOf } from "../access.js";
import { originOf } from "../engine.js";
import type { AccessOperation, AccessRule, AccessSource, RequestMatch } from "../types.js";
import { describeOperation } from "./describe-match.js";
import { osmMonitored, unmonitoredFinding } from "./osm-monitored.js";
import { osmPortProtocol } from "./osm-port-protocol.js";
import type { RouteGroups } from "./route-groups.js";
import { smiCodes, smiFinding } from "./smi-codes.js";

export interface TrafficTargetAccess {
  access: AccessRule[];
  findings: Finding[];
}

/** The fields of every version, with where they are written. */
interface TargetView {
  destination: TrafficTarget["spec"]["destination"];
  rules: TrafficTargetRule[];
  rulesPath: FieldPath;
  sources: NonNullable<TrafficTarget["spec"]["sources"]>;
  base: FieldPath;
}

function viewOf(typed: Typed<AnyTrafficTarget>): TargetView {
  // access.smi-spec.io/v1alpha1 has no spec: destination, specs and sources are top-level fields.
  if (typed.res.version === "v1alpha1") {
    const o = typed.obj as TrafficTargetV1alpha1;
    return { destination: o.destination, rules: o.specs ?? [], rulesPath: ["specs"], sources: o.sources ?? [], base: [] };
  }
  const s = (typed.obj as TrafficTarget).spec;
  return { destination: s.destination, rules: s.rules ?? [], rulesPath: ["spec", "rules"], sources: s.sources ?? [], base: ["spec"] };
}

export function trafficTargetAccess(model: MeshModel, groups: RouteGroups): TrafficTargetAccess {
  const access: AccessRule[] = [];
  const findings: Finding[] = [];
  for (const typed of model.list<AnyTrafficTarget>("access.smi-spec.io/TrafficTarget")) {
    const rule = targetRule(model, groups, typed, findings);
    if (rule) access.push(rule);
  }
  return { access, findings };
}

function targetRule(model: MeshModel, groups: RouteGroups, typed: Typed<AnyTrafficTarget>, findings: Finding[]): AccessRule | null {
  const res = typed.res;
  const namespace = typed.namespace ?? model.defaultNamespace;
  const label = `TrafficTarget ${namespace}/${res.name}`;
  if (!osmMonitored(model, namespace)) {
    findings.push(unmonitoredFinding(res, namespace));
    return null;
  }
  const view = viewOf(typed);
  const ignored = (path: FieldPath, why: string, hint: string): null => {
    findings.push(findingAt(res, path, smiFinding(smiCodes.targetIgnored, `${label} is ignored by OSM: ${why}`, { hint })));
    return null;
  };

  const dest = view.destination;
  if (dest.namespace !== namespace) {
    return ignored(
      [...view.base, "destination", "namespace"],
      dest.namespace ? `its destination namespace ${dest.namespace} is not its own namespace ${namespace}` : "its destination has no namespace",
      `Set destination.namespace: ${namespace}, or create the TrafficTarget in the destination's namespace.`,
    );
  }
  if (view.rules.length === 0) {
    return ignored(view.rulesPath, "it has no rules", "Add at least one HTTPRouteGroup or TCPRoute rule.");
  }
  const udp = view.rules.findIndex((r) => r.kind !== "HTTPRouteGroup" && r.kind !== "TCPRoute");
  if (udp >= 0) {
    return ignored(
      [...view.rulesPath, udp, "kind"],
      `rule kind ${view.rules[udp]!.kind} is not supported, so the whole TrafficTarget is dropped`,
      "Move UDPRoute rules out of the TrafficTarget; OSM supports HTTPRouteGroup and TCPRoute rules.",
    );
  }
  if (dest.kind !== "ServiceAccount") {
    findings.push(
      findingAt(
        res,
        [...view.base, "destination", "kind"],
        smiFinding(smiCodes.unsupportedReference, `${label}: destination kind ${dest.kind}: OSM reads the destination as service account ${dest.name}`, {
          hint: "Use kind: ServiceAccount.",
        }),
      ),
    );
  }

  const from: AccessSource[] = [];
  const sourceNames: string[] = [];
  view.sources.forEach((s, i) => {
    const at: FieldPath = [...view.base, "sources", i];
    if (s.kind !== "ServiceAccount") {
      findings.push(
        findingAt(
          res,
          [...at, "kind"],
          smiFinding(smiCodes.unsupportedReference, `${label}: source kind ${s.kind}: OSM reads the source as service account ${s.name}`, {
            hint: "Use kind: ServiceAccount.",
          }),
        ),
      );
    }
    if (!s.namespace) {
      findings.push(
        findingAt(
          res,
          at,
          smiFinding(
            smiCodes.sourceNamespaceMissing,
            `${label}: source ${s.name} has no namespace; meshplan reads it as ${namespace}/${s.name}, OSM matches no caller with it`,
            { hint: `Set sources[${i}].namespace.` },
          ),
        ),
      );
    }
    const ns = s.namespace || namespace;
    from.push({ principals: [principalOf(ns, s.name)] });
    sourceNames.push(`${ns}/${s.name}`);
  });

  const destPorts = destinationPorts(model, namespace, dest.name);
  const to: AccessOperation[] = [];
  view.rules.forEach((r, i) => {
    const at: FieldPath = [...view.rulesPath, i];
    const op = r.kind === "HTTPRouteGroup" ? httpOperation(groups, namespace, label, r, at, res, findings) : tcpOperation(groups, namespace, label, r, at, res, destPorts, findings);
    if (op) to.push(op);
  });
  const port = dest.port ?? null;
  const ops = port === null ? to : to.flatMap((op) => restrictToPort(op, port));

  // Without sources or without any usable rule the TrafficTarget allows nothing, but still protects its destination.
  const matchesNothing = from.length === 0 || ops.length === 0;
  const summary =
    `allow ${sourceNames.join(", ") || "no source"} -> ${namespace}/${dest.name}: ` +
    (ops.length ? ops.map(describeOperation).join("; ") : "nothing");
  return {
    id: `smi|TrafficTarget|${namespace}/${res.name}`,
    engine: "smi",
    action: "ALLOW",
    target: { namespace, selector: null, serviceAccount: dest.name },
    from,
    to: ops,
    when: [],
    matchesNothing,
    summary,
    origin: originOf(res, []),
  };
}

function httpOperation(
  groups: RouteGroups,
  namespace: string,
  label: string,
  rule: TrafficTargetRule,
  at: FieldPath,
  res: Typed<unknown>["res"],
  findings: Finding[],
): AccessOperation | null {
  const group = groups.http(namespace, rule.name);
  if (!group) {
    findings.push(
      findingAt(
        res,
        [...at, "name"],
        smiFinding(smiCodes.routeGroupMissing, `${label}: HTTPRouteGroup ${namespace}/${rule.name} is not in the tree, so its routes are not allowed`, {
          hint: `Declare HTTPRouteGroup ${rule.name} in namespace ${namespace}.`,
        }),
      ),
    );
    return null;
  }
  const matches: RequestMatch[] = [];
  const names = rule.matches ?? [];
  if (names.length === 0) for (const m of group.matches) matches.push(...m.requestMatches);
  names.forEach((name, j) => {
    const m = group.matches.find((x) => x.name === name);
    if (m) {
      matches.push(...m.requestMatches);
      return;
    }
    findings.push(
      findingAt(
        res,
        [...at, "matches", j],
        smiFinding(smiCodes.routeGroupMissing, `${label}: HTTPRouteGroup ${namespace}/${rule.name} has no match named ${name}`, {
          hint: `Use one of: ${group.matches.map((x) => x.name).join(", ") || "(none)"}.`,
        }),
      ),
    );
  });
  return matches.length ? { matches } : null;
}

interface DestinationPorts {
  /** Some Service of the destination service account is in the tree. */
  known: boolean;
  /** Service ports OSM treats as TCP. */
  tcpServicePorts: number[];
  /** Port and numeric target port numbers, by OSM protocol. */
  tcp: Set<number>;
  http: Set<number>;
}

/** The ports of the Services whose pods run as the destination service account. */
function destinationPorts(model: MeshModel, namespace: string, serviceAccount: string): DestinationPorts {
  const out: DestinationPorts = { known: false, tcpServicePorts: [], tcp: new Set(), http: new Set() };
  for (const svc of model.services.values()) {
    if (svc.namespace !== namespace || !svc.serviceAccounts.includes(serviceAccount)) continue;
    out.known = true;
    for (const p of svc.ports) {
      const tcp = osmPortProtocol(p) === "tcp";
      const numbers = typeof p.targetPort === "number" ? [p.port, p.targetPort] : [p.port];
      for (const n of numbers) (tcp ? out.tcp : out.http).add(n);
      if (tcp && !out.tcpServicePorts.includes(p.port)) out.tcpServicePorts.push(p.port);
    }
  }
  return out;
}

function tcpOperation(
  groups: RouteGroups,
  namespace: string,
  label: string,
  rule: TrafficTargetRule,
  at: FieldPath,
  res: Typed<unknown>["res"],
  dest: DestinationPorts,
  findings: Finding[],
): AccessOperation | null {
  const route = groups.tcp(namespace, rule.name);
  if (!route) {
    findings.push(
      findingAt(
        res,
        [...at, "name"],
        smiFinding(smiCodes.routeGroupMissing, `${label}: TCPRoute ${namespace}/${rule.name} is not in the tree, so its ports are not allowed`, {
          hint: `Declare TCPRoute ${rule.name} in namespace ${namespace}.`,
        }),
      ),
    );
    return null;
  }
  if (!dest.known) return route.ports.length ? { ports: [...route.ports] } : {};

  const ports = route.ports.length ? route.ports.filter((p) => dest.tcp.has(p) || !dest.http.has(p)) : dest.tcpServicePorts;
  if (ports.length === 0) {
    findings.push(
      findingAt(
        res,
        [...at, "name"],
        smiFinding(
          smiCodes.tcpRouteOnHttpPort,
          `${label}: TCPRoute ${namespace}/${rule.name} allows ${route.ports.length ? `port ${route.ports.join(", ")}` : "every port"}, ` +
            "but those ports of the destination serve HTTP, which OSM authorizes only through HTTPRouteGroup rules",
          { hint: "Set appProtocol: tcp on the service port, or allow the traffic with an HTTPRouteGroup rule." },
        ),
      ),
    );
    return null;
  }
  return { ports };
}

/** v1alpha1/v1alpha2 destination.port: every rule applies to that port only. */
function restrictToPort(op: AccessOperation, port: number): AccessOperation[] {
  if (!op.ports?.length) return [{ ...op, ports: [port] }];
  return op.ports.includes(port) ? [{ ...op, ports: [port] }] : [];
}
