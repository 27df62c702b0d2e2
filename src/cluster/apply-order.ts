/**
 * The order in which the sync applies objects, and the reverse order in which it prunes them.
 *
 * Apply order, by tier; inside a tier the input order is kept (the sort is stable):
 *
 *   0 namespaces   Namespace: everything namespaced below lands in one.
 *   1 definitions  CustomResourceDefinition: a tree that ships CRDs (Gateway API, say) needs
 *                  them before any resource of their kinds.
 *   2 config       ServiceAccount, ConfigMap, Secret, RBAC, quotas, PersistentVolumeClaim: what
 *                  pods read when they start; admission refuses a pod whose ServiceAccount is missing.
 *   3 services     Service: before the workloads behind it, so pods get its environment variables.
 *   4 workloads    Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, autoscalers,
 *                  disruption budgets.
 *   5 destinations DestinationRule, ServiceEntry, Sidecar, PeerAuthentication, Istio and Gateway API
 *                  Gateways, GatewayClass, ReferenceGrant: what routes point at or depend on.
 *   6 routes       VirtualService, HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, Ingress, TrafficSplit,
 *                  TrafficTarget, HTTPRouteGroup, AuthorizationPolicy, RequestAuthentication:
 *                  traffic moves only once its destinations exist.
 *   7 other        everything else.
 *
 * Prune order is the exact reverse: a route goes before the subset, gateway or Service it sends
 * traffic to, so no request is ever routed at something already deleted.
 *
 * Kinds are matched by group and kind, never kind alone: `Gateway` and `TCPRoute` each exist in
 * two API groups.
 */
import type { GroupKind } from "../manifests/types.js";

export type ApplyTierName =
  | "namespaces"
  | "definitions"
  | "config"
  | "services"
  | "workloads"
  | "destinations"
  | "routes"
  | "other";

const ISTIO_NETWORKING = "networking.istio.io";
const ISTIO_SECURITY = "security.istio.io";
const GATEWAY_API = "gateway.networking.k8s.io";

export const APPLY_TIERS: readonly { name: ApplyTierName; kinds: readonly GroupKind[] }[] = [
  { name: "namespaces", kinds: ["/Namespace"] },
  { name: "definitions", kinds: ["apiextensions.k8s.io/CustomResourceDefinition"] },
  {
    name: "config",
    kinds: [
      "/ServiceAccount",
      "/ConfigMap",
      "/Secret",
      "/ResourceQuota",
      "/LimitRange",
      "/PersistentVolumeClaim",
      "rbac.authorization.k8s.io/ClusterRole",
      "rbac.authorization.k8s.io/Role",
      "rbac.authorization.k8s.io/ClusterRoleBinding",
      "rbac.authorization.k8s.io/RoleBinding",
    ],
  },
  { name: "services", kinds: ["/Service"] },
  {
    name: "workloads",
    kinds: [
      "apps/Deployment",
      "apps/StatefulSet",
      "apps/DaemonSet",
      "apps/ReplicaSet",
      "batch/Job",
      "batch/CronJob",
      "/Pod",
      "/ReplicationController",
      "autoscaling/HorizontalPodAutoscaler",
      "policy/PodDisruptionBudget",
    ],
  },
  {
    name: "destinations",
    kinds: [
      `${ISTIO_NETWORKING}/DestinationRule`,
      `${ISTIO_NETWORKING}/ServiceEntry`,
      `${ISTIO_NETWORKING}/WorkloadEntry`,
      `${ISTIO_NETWORKING}/Sidecar`,
      `${ISTIO_NETWORKING}/Gateway`,
      `${ISTIO_SECURITY}/PeerAuthentication`,
      `${GATEWAY_API}/GatewayClass`,
      `${GATEWAY_API}/Gateway`,
      `${GATEWAY_API}/ReferenceGrant`,
      "networking.k8s.io/IngressClass",
    ],
  },
  {
    name: "routes",
    kinds: [
      `${ISTIO_NETWORKING}/VirtualService`,
      `${GATEWAY_API}/HTTPRoute`,
      `${GATEWAY_API}/GRPCRoute`,
      `${GATEWAY_API}/TCPRoute`,
      `${GATEWAY_API}/TLSRoute`,
      `${GATEWAY_API}/UDPRoute`,
      "networking.k8s.io/Ingress",
      "split.smi-spec.io/TrafficSplit",
      "access.smi-spec.io/TrafficTarget",
      "specs.smi-spec.io/HTTPRouteGroup",
      "specs.smi-spec.io/TCPRoute",
      `${ISTIO_SECURITY}/AuthorizationPolicy`,
      `${ISTIO_SECURITY}/RequestAuthentication`,
    ],
  },
  { name: "other", kinds: [] },
];

const tierIndexByGroupKind: ReadonlyMap<string, number> = new Map(
  APPLY_TIERS.flatMap((tier, index) => tier.kinds.map((gk) => [gk, index] as const)),
);
const OTHER = APPLY_TIERS.length - 1;

function tierIndex(item: { group: string; kind: string }): number {
  return tierIndexByGroupKind.get(`${item.group}/${item.kind}`) ?? OTHER;
}

export function applyTierOf(item: { group: string; kind: string }): ApplyTierName {
  return APPLY_TIERS[tierIndex(item)].name;
}

/** `items` sorted into apply order (see the tiers above); a new array, input order kept within a tier. */
export function applyOrder<T extends { group: string; kind: string }>(items: readonly T[]): T[] {
  return items
    .map((item, position) => ({ item, position, tier: tierIndex(item) }))
    .sort((a, b) => a.tier - b.tier || a.position - b.position)
    .map((entry) => entry.item);
}

/** The reverse of `applyOrder`: routes and policies go first, Namespaces last. */
export function pruneOrder<T extends { group: string; kind: string }>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}
