/**
 * A loaded organisational policy: its MeshPolicy document validated and every
 * CEL expression compiled, ready to evaluate against any number of trees.
 */
import type { Severity } from "../../findings.js";
import type { FieldPath, Resource } from "../../manifests/types.js";
import type { CelProgram } from "./compile-expression.js";
import type { LabelSelector } from "./label-selector.js";

export interface CompiledCel {
  text: string;
  program: CelProgram;
  /** Variables the expression reads. */
  variables: ReadonlySet<string>;
}

export interface PolicyValidation {
  /** Position in `spec.validations`. */
  index: number;
  expression: CompiledCel;
  message: string | null;
  messageExpression: CompiledCel | null;
  severity: Severity;
  /** Where a finding points inside the resource; null: at the resource. */
  path: FieldPath | null;
}

export interface ResourceRule {
  apiGroups: readonly string[];
  /** null: any version. */
  apiVersions: readonly string[] | null;
  kinds: readonly string[];
  /** null: any name. */
  resourceNames: readonly string[] | null;
}

export interface MatchConstraints {
  resourceRules: readonly ResourceRule[];
  /** Namespace name globs; null: any namespace. */
  namespaces: readonly string[] | null;
  namespaceSelector: LabelSelector | null;
  objectSelector: LabelSelector | null;
}

export interface MeshPolicy {
  /** metadata.name: the code of the policy's findings. */
  name: string;
  /** `meshplan.io/title` annotation, else the name. */
  title: string;
  /** `meshplan.io/description` annotation, else "". */
  description: string;
  /** The policy document, for locating findings about the policy itself. */
  source: Resource;
  matchConstraints: MatchConstraints;
  /** `spec.params` as plain JSON; null when the policy has none (then `params` is null, as in Kubernetes). */
  params: Readonly<Record<string, unknown>> | null;
  validations: readonly PolicyValidation[];
}
