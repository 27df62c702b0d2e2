/**
 * The mesh model: validated resources indexed by kind and identity, Services
 * with the workloads they select and those workloads' service accounts, and
 * namespaces with their mesh membership. Pure: resources in, model out.
 */
import type { GroupKind, Resource } from "../manifests/types.js";
import { groupKindOf } from "../manifests/types.js";
import type { PodController, Pod, Service } from "../manifests/schemas/kubernetes.js";
import { effectiveNamespace, isClusterScoped, validateResources } from "../manifests/validate.js";
import { DEFAULT_CLUSTER_DOMAIN, serviceFqdn } from "./hosts.js";
import type { Labels, MeshModel, NamespaceInfo, ServiceInfo, ServicePortInfo, Typed, Workload } from "./types.js";

export interface BuildModelOptions {
  /** Namespace of resources that set none; kubectl's default is "default". */
  defaultNamespace?: string;
  clusterDomain?: string;
}

/** Pod controllers and Pods, in every API group/version meshplan validates them in. */
const podControllerKinds = new Set<GroupKind>([
  "apps/Deployment",
  "apps/StatefulSet",
  "apps/DaemonSet",
  "extensions/Deployment",
  "extensions/DaemonSet",
]);
const podKind: GroupKind = "/Pod";

export function buildModel(resources: readonly Resource[], options: BuildModelOptions = {}): MeshModel {
  const defaultNamespace = options.defaultNamespace ?? "default";
  const clusterDomain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const { valid, findings } = validateResources(resources, { defaultNamespace });

  const byKind = new Map<GroupKind, Typed<unknown>[]>();
  const byIdentity = new Map<string, Typed<unknown>>();
  const workloads: Workload[] = [];
  for (const [res, obj] of valid) {
    const { gk, typed, key, workload } = entryOf(res, obj, defaultNamespace);
    let list = byKind.get(gk);
    if (!list) byKind.set(gk, (list = []));
    list.push(typed);
    byIdentity.set(key, typed);
    if (workload) workloads.push(workload);
  }

  const workloadIndex = indexWorkloads(workloads);
  const workloadsMatching = (namespace: string | null, selector: Labels): Workload[] => {
    if (namespace !== null) return matchIn(workloadIndex.get(namespace), selector);
    const out: Workload[] = [];
    for (const idx of workloadIndex.values()) out.push(...matchIn(idx, selector));
    return out;
  };

  const services = new Map<string, ServiceInfo>();
  for (const typed of (byKind.get("/Service") ?? []) as Typed<Service>[]) {
    const info = serviceInfo(typed, clusterDomain, workloadsMatching);
    services.set(info.fqdn, info);
  }

  const empty: readonly Typed<unknown>[] = Object.freeze([]);
  return {
    resources,
    defaultNamespace,
    clusterDomain,
    list<T>(gk: GroupKind): readonly Typed<T>[] {
      return (byKind.get(gk) ?? empty) as readonly Typed<T>[];
    },
    get<T>(gk: GroupKind, namespace: string | null, name: string): Typed<T> | undefined {
      const slash = gk.indexOf("/");
      const scoped = isClusterScoped(gk.slice(0, slash), gk.slice(slash + 1)) ? null : (namespace ?? defaultNamespace);
      return byIdentity.get(identityKey(gk, scoped, name)) as Typed<T> | undefined;
    },
    services,
    namespaces: namespaceIndex(resources, byKind.get("/Namespace") ?? [], defaultNamespace),
    workloads,
    workloadsMatching,
    findings,
  };
}

interface ModelEntry {
  gk: GroupKind;
  typed: Typed<unknown>;
  key: string;
  workload: Workload | null;
}

/**
 * What a model holds for one Resource depends on nothing but the Resource, its
 * validated object and the default namespace. The base and head of a change
 * share the Resources of every unchanged file, so their models share these too.
 */
const entries = new WeakMap<Resource, ModelEntry>();

function entryOf(res: Resource, obj: unknown, defaultNamespace: string): ModelEntry {
  const namespace = effectiveNamespace(res, defaultNamespace);
  const known = entries.get(res);
  if (known && known.typed.obj === obj && known.typed.namespace === namespace) return known;
  const typed: Typed<unknown> = { res, obj, namespace };
  const gk = groupKindOf(res);
  const entry = { gk, typed, key: identityKey(gk, typed.namespace, res.name), workload: workloadOf(gk, typed) };
  entries.set(res, entry);
  return entry;
}

function identityKey(gk: GroupKind, namespace: string | null, name: string): string {
  // join, not a template: a flat string, where a template leaves a tree of pieces behind as the key.
  return [gk, namespace ?? "", name].join("\u0000");
}

function workloadOf(gk: GroupKind, typed: Typed<unknown>): Workload | null {
  if (typed.namespace === null) return null;
  let labels: Labels | null | undefined;
  let account: string | null | undefined;
  if (podControllerKinds.has(gk)) {
    const { template } = (typed.obj as PodController).spec;
    labels = template.metadata?.labels;
    account = template.spec.serviceAccountName || template.spec.serviceAccount;
  } else if (gk === podKind) {
    const pod = typed.obj as Pod;
    labels = pod.metadata.labels;
    account = pod.spec?.serviceAccountName || pod.spec?.serviceAccount;
  } else {
    return null;
  }
  return {
    kind: typed.res.kind,
    name: typed.res.name,
    namespace: typed.namespace,
    labels: labels ?? {},
    // Pod spec defaulting: serviceAccountName falls back to the deprecated serviceAccount, then "default".
    serviceAccount: account || "default",
    res: typed.res,
  };
}

interface NamespaceWorkloads {
  all: Workload[];
  /** `key=value` -> workloads carrying that label, so a selector scans only its rarest label's workloads. */
  byLabel: Map<string, Workload[]>;
}

function indexWorkloads(workloads: readonly Workload[]): Map<string, NamespaceWorkloads> {
  const index = new Map<string, NamespaceWorkloads>();
  for (const w of workloads) {
    let ns = index.get(w.namespace);
    if (!ns) index.set(w.namespace, (ns = { all: [], byLabel: new Map() }));
    ns.all.push(w);
    for (const [k, v] of Object.entries(w.labels)) {
      const key = `${k}=${v}`;
      let list = ns.byLabel.get(key);
      if (!list) ns.byLabel.set(key, (list = []));
      list.push(w);
    }
  }
  return index;
}

function matchIn(index: NamespaceWorkloads | undefined, selector: Labels): Workload[] {
  if (!index) return [];
  const required = Object.entries(selector);
  if (required.length === 0) return [...index.all];
  let candidates: Workload[] | undefined;
  for (const [k, v] of required) {
    const list = index.byLabel.get(`${k}=${v}`);
    if (!list) return [];
    if (!candidates || list.length < candidates.length) candidates = list;
  }
  return (candidates ?? []).filter((w) => required.every(([k, v]) => w.labels[k] === v));
}

function serviceInfo(
  typed: Typed<Service>,
  clusterDomain: string,
  workloadsMatching: (namespace: string | null, selector: Labels) => Workload[],
): ServiceInfo {
  const spec = typed.obj.spec ?? {};
  const namespace = typed.namespace ?? "";
  const type = spec.type ?? "ClusterIP";
  // An empty selector is stored as no selector (omitempty), and the endpoint
  // controllers give no endpoints to selector-less or ExternalName Services.
  const selector = spec.selector && Object.keys(spec.selector).length > 0 ? spec.selector : null;
  const selected = selector && type !== "ExternalName" ? workloadsMatching(namespace, selector) : [];
  const ports: ServicePortInfo[] = (spec.ports ?? []).map((p) => ({
    name: p.name || null,
    port: p.port,
    // Service defaulting: targetPort defaults to port, protocol to TCP.
    targetPort: p.targetPort ?? p.port,
    protocol: p.protocol ?? "TCP",
    appProtocol: p.appProtocol ?? null,
  }));
  return {
    fqdn: serviceFqdn(typed.res.name, namespace, clusterDomain),
    name: typed.res.name,
    namespace,
    type,
    selector,
    externalName: spec.externalName ?? null,
    ports,
    workloads: selected,
    serviceAccounts: [...new Set(selected.map((w) => w.serviceAccount))].sort(),
    res: typed.res,
  };
}

function namespaceIndex(
  resources: readonly Resource[],
  declared: readonly Typed<unknown>[],
  defaultNamespace: string,
): Map<string, NamespaceInfo> {
  const found = new Map<string, NamespaceInfo>();
  for (const { res } of declared) found.set(res.name, membership(res.name, res.labels, true));
  for (const res of resources) {
    const ns = effectiveNamespace(res, defaultNamespace);
    if (ns !== null && !found.has(ns)) found.set(ns, membership(ns, {}, false));
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Sidecar injection follows the injector webhooks' namespace selectors: the
 * default revision selects `istio-injection=enabled`; a revision's webhook
 * selects `istio.io/rev=<rev>` only where `istio-injection` is absent, so the
 * `istio-injection` label wins when both are set (istio.io sidecar-injection
 * docs). OSM membership is the `openservicemesh.io/monitored-by` label.
 */
function membership(name: string, labels: Labels, declared: boolean): NamespaceInfo {
  const injection = labels["istio-injection"];
  const rev = labels["istio.io/rev"];
  let istioRevision: string | null = null;
  if (injection === "enabled") istioRevision = "default";
  else if (injection === undefined && rev !== undefined) istioRevision = rev;
  return {
    name,
    labels: { ...labels },
    declared,
    istioInjected: istioRevision !== null,
    istioRevision,
    osmMonitoredBy: labels["openservicemesh.io/monitored-by"] ?? null,
  };
}
