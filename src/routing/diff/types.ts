/**
 * What changed between two routing tables (base and head of a pull request,
 * or desired and live). Closed types: every change has a fixed kind, so the
 * markdown, text and JSON reports render the same facts.
 */
import type { Labels } from "../../mesh/types.js";
import type {
  AccessRule,
  HostRoutes,
  Protocol,
  RedirectPolicy,
  RequestMatch,
  RoutePolicies,
  RoutingSource,
} from "../types.js";

/** A backend as the diff identifies it: service + subset + port. */
export interface BackendRef {
  /** Fully qualified host. */
  service: string;
  subset: string | null;
  port: number | null;
}

export interface BackendShare extends BackendRef {
  /** Percentage of the rule's traffic. */
  weight: number;
  /** Set when this share is answered with an error instead of being sent (WeightedBackend.unavailable). */
  unavailable?: string;
}

/**
 * Where the requests that no specific rule catches go: the first rule of a
 * host that matches every request (first match wins, so later ones never see traffic).
 */
export type DefaultRoute =
  | { kind: "backends"; rule: string; backends: BackendShare[] }
  | { kind: "redirect"; rule: string; redirect: RedirectPolicy }
  | { kind: "directResponse"; rule: string; status: number }
  /** The catch-all rule routes nowhere (every weight 0): 500/503. */
  | { kind: "noBackends"; rule: string }
  /** No rule catches everything: requests no rule matches get 404. */
  | { kind: "none" };

/** Default traffic of one host before and after; null when the host does not exist on that side. */
export interface TrafficShift {
  before: DefaultRoute | null;
  after: DefaultRoute | null;
}

export interface RuleRef {
  id: string;
  name: string | null;
  matches: RequestMatch[];
}

export interface RuleAddition extends RuleRef {
  /** 0-based index in the head host's rules. */
  position: number;
}

export interface RuleRemoval extends RuleRef {
  /** 0-based index in the base host's rules. */
  position: number;
}

export type PolicyName = keyof RoutePolicies;

export type PolicyChange = {
  [K in PolicyName]: { policy: K; before: RoutePolicies[K]; after: RoutePolicies[K] };
}[PolicyName];

export interface ShareChange {
  before: BackendShare[];
  after: BackendShare[];
}

/** A subset kept its name but now selects other pods (DestinationRule subset labels changed). */
export interface SelectorChange extends BackendRef {
  before: Labels | null;
  after: Labels | null;
}

/** A rule present on both sides (same id) whose order, shares or policies changed. */
export interface RuleChange extends RuleRef {
  /** 0-based indices in the base and head host's rules. */
  position: { before: number; after: number };
  /**
   * The rule changed place relative to the other rules kept on both sides. The
   * smallest set of rules that explains the new order is reported (a swap of
   * two rules moves one of them), never a rule shifted only by additions or removals.
   */
  moved: boolean;
  shares: ShareChange | null;
  policies: PolicyChange[];
  selectors: SelectorChange[];
}

export type HostChange = "added" | "removed" | "changed";

export interface HostDiff {
  key: string;
  host: string;
  port: number | null;
  protocol: Protocol;
  source: RoutingSource;
  attachment: string;
  change: HostChange;
  addedRules: RuleAddition[];
  removedRules: RuleRemoval[];
  changedRules: RuleChange[];
  /** Set when default traffic goes elsewhere (including to or from "no default route"). */
  trafficShift: TrafficShift | null;
  /** The host's routes in base and head, for diagrams and context; null on the side where it does not exist. */
  before: HostRoutes | null;
  after: HostRoutes | null;
}

export type AccessEffect =
  | "newlyAllowed"
  | "noLongerAllowed"
  | "newlyDenied"
  | "noLongerDenied"
  | "newlyCustom"
  | "noLongerCustom"
  | "newlyAudited"
  | "noLongerAudited";

/** One line of an access change for people: "newly allowed: allow bookbuyer -> bookstore GET /books*". */
export interface AccessEdge {
  effect: AccessEffect;
  ruleId: string;
  engine: AccessRule["engine"];
  action: AccessRule["action"];
  target: AccessRule["target"];
  /** North-south rules only (OSM IngressBackend, Egress); null for traffic between mesh workloads. */
  direction: "ingress" | "egress" | null;
  summary: string;
  /** false for SMI rules while OSM permissive mode is on (they are then not enforced). */
  enforced: boolean;
}

export interface AccessRuleChange {
  id: string;
  before: AccessRule;
  after: AccessRule;
}

export interface AccessDiff {
  added: AccessRule[];
  removed: AccessRule[];
  changed: AccessRuleChange[];
  edges: AccessEdge[];
  smiPermissive: { before: boolean; after: boolean } | null;
}

export interface RoutingDiff {
  /** Changed hosts only, sorted by host, then key. */
  hosts: HostDiff[];
  access: AccessDiff;
}
