/**
 * The analyzer framework: one rule per file, each a value with a stable code,
 * its documentation and a pure `check`. A rule declares the kinds it reads so
 * only relevant rules run, reads the model through a small context, and
 * reports problems as findings located at a field. Rules never throw on bad
 * configuration.
 */
import type { CodeInfo } from "../findings.js";
import type { FieldPath, GroupKind, Resource } from "../manifests/types.js";
import type { MeshModel, Typed } from "../mesh/types.js";
import type { RoutingTable } from "../routing/types.js";

export interface RuleOptions {
  /**
   * Hosts managed outside this repository (e.g. `*.googleapis.com`,
   * `payments.billing.svc.cluster.local`): references to them are not "host not found".
   */
  externalHosts: readonly string[];
}

export function defaultRuleOptions(): RuleOptions {
  return { externalHosts: [] };
}

export interface RuleReport {
  /** A fix the user can apply, e.g. "add subset v3 to DestinationRule default/reviews". */
  hint?: string;
  /** Overrides the rule's default severity for this one finding (e.g. a weight-0 backend is only a warning). */
  severity?: CodeInfo["severity"];
}

export interface RuleContext {
  readonly model: MeshModel;
  /** The effective routing of the whole tree. */
  readonly table: RoutingTable;
  readonly options: RuleOptions;
  forEach<T>(gk: GroupKind, fn: (r: Typed<T>) => void): void;
  find<T>(gk: GroupKind, namespace: string | null, name: string): Typed<T> | undefined;
  /** Reports a finding of this rule at `path` inside `res`. */
  report(res: Resource, path: FieldPath, message: string, extra?: RuleReport): void;
}

export interface LintRule extends CodeInfo {
  /**
   * Kinds the rule reads (`networking.istio.io/VirtualService`); it runs only
   * when the tree holds at least one of them. Empty: always runs.
   */
  kinds: readonly GroupKind[];
  check(ctx: RuleContext): void;
}
