/**
 * Evaluating organisational policies on one tree: for every object a policy's
 * `matchConstraints` select, each validation's CEL expression is evaluated
 * with the variables of docs/policies.md. `false` is a finding on the object
 * whose code is the policy's name; an error (or a value that is not a bool)
 * is a finding on the policy that names the object (MP0038), as Kubernetes
 * fails closed on it, and evaluation goes on with the other objects and
 * policies. Pure: the model and routing table come in, findings go out.
 */
import { isCelError, type CelInput, type CelResult, type CelValue } from "@bufbuild/cel";
import type { CodeInfo, Finding } from "../../findings.js";
import { findingAt, severityRank } from "../../findings.js";
import { groupKindOf, type Resource } from "../../manifests/types.js";
import type { MeshModel, Typed } from "../../mesh/types.js";
import type { HostRoutes, RoutingTable } from "../../routing/types.js";
import type { MeshPolicy, PolicyValidation } from "./mesh-policy.js";
import type { PolicyVariable } from "./policy-environment.js";
import { policyCodes } from "./policy-codes.js";
import { policyTargets, resourceIndex } from "./policy-targets.js";
import { toCelInput } from "./to-cel-input.js";

export interface PolicyInput {
  model: MeshModel;
  /** The effective routing of `model`. */
  table: RoutingTable;
  /** The BASE revision, for `oldObject`; null when there is none (every object is new). */
  baseModel: MeshModel | null;
}

/**
 * Findings come policy by policy, each policy's in the order of its targets.
 * The evaluation itself goes object by object, every policy that selects an
 * object in turn, so an object's CEL variables are built once and dropped
 * when it is done, instead of every object's being held until the last
 * policy has run: on a large tree those variables weigh more than the tree.
 */
export function evaluatePolicies(policies: readonly MeshPolicy[], input: PolicyInput): Finding[] {
  if (policies.length === 0) return [];
  const index = resourceIndex(input.model);
  const vars = new TargetVariables(input);
  const params = policies.map((p) => toCelInput(p.params));
  /** For each object, the policies that select it and its place among each one's targets. */
  const uses = new Map<Typed<unknown>, { policy: number; at: number }[]>();
  policies.forEach((policy, p) => {
    const targets = policyTargets(policy.matchConstraints, index, { model: input.model, oldResource: (t) => vars.oldResource(t) });
    targets.forEach((target, at) => {
      let list = uses.get(target);
      if (!list) uses.set(target, (list = []));
      list.push({ policy: p, at });
    });
  });
  const byPolicy: { at: number; findings: Finding[] }[][] = policies.map(() => []);
  for (const [target, selected] of uses) {
    for (const { policy: p, at } of selected) {
      const policy = policies[p]!;
      const findings: Finding[] = [];
      for (const v of policy.validations) evaluateValidation(policy, v, target, vars, params[p]!, findings);
      if (findings.length > 0) byPolicy[p]!.push({ at, findings });
    }
    vars.release(target);
  }
  return byPolicy.flatMap((found) => found.sort((a, b) => a.at - b.at).flatMap((f) => f.findings));
}

/** Each policy's code, title, severity and docs, for SARIF rules and the rule catalogue. */
export function policyRules(policies: readonly MeshPolicy[]): CodeInfo[] {
  return policies.map((p) => {
    const severity = p.validations.reduce<CodeInfo["severity"]>(
      (worst, v) => (severityRank[v.severity] > severityRank[worst] ? v.severity : worst),
      "info",
    );
    return {
      code: p.name,
      title: p.title,
      severity,
      docs: p.description || `Organisational policy ${p.name}, defined in ${p.source.file}.`,
      equivalents: [],
    };
  });
}

function evaluateValidation(
  policy: MeshPolicy,
  v: PolicyValidation,
  target: Typed<unknown>,
  vars: TargetVariables,
  params: CelInput,
  findings: Finding[],
): void {
  const bindings = vars.bindings(target, v, params);
  const result = run(v.expression.program, bindings);
  if (!result.ok || typeof result.value !== "boolean") {
    const problem = result.ok ? `it evaluated to ${describeValue(result.value)}, not a bool` : result.error;
    findings.push(
      findingAt(policy.source, ["spec", "validations", v.index, "expression"], {
        code: policyCodes.evaluationError.code,
        severity: policyCodes.evaluationError.severity,
        message: `MeshPolicy ${policy.name}: spec.validations[${v.index}].expression failed on ${describeTarget(target)}: ${problem}.`,
        hint: "Guard optional fields with has() and check types with type() before using them.",
      }),
    );
    return;
  }
  if (result.value) return;
  findings.push(
    findingAt(target.res, v.path ?? [], {
      code: policy.name,
      severity: v.severity,
      message: failureMessage(policy, v, target, bindings, findings),
    }),
  );
}

/**
 * Kubernetes ValidatingAdmissionPolicy: messageExpression wins; if it fails,
 * or its result is empty or spans lines, the static message is used, and
 * without one `failed expression: <expression>`.
 */
function failureMessage(
  policy: MeshPolicy,
  v: PolicyValidation,
  target: Typed<unknown>,
  bindings: Record<string, CelInput>,
  findings: Finding[],
): string {
  const fallback = v.message ?? `failed expression: ${v.expression.text.trim()}`;
  if (!v.messageExpression) return fallback;
  const result = run(v.messageExpression.program, bindings);
  const text = result.ok && typeof result.value === "string" ? result.value.trim() : null;
  if (text && !/[\r\n]/.test(text)) return text;
  const problem = !result.ok
    ? result.error
    : text === ""
      ? "it evaluated to an empty string"
      : text !== null
        ? "it evaluated to more than one line"
        : `it evaluated to ${describeValue(result.value)}, not a string`;
  findings.push(
    findingAt(policy.source, ["spec", "validations", v.index, "messageExpression"], {
      code: policyCodes.messageExpressionFailed.code,
      severity: policyCodes.messageExpressionFailed.severity,
      message: `MeshPolicy ${policy.name}: spec.validations[${v.index}].messageExpression failed on ${describeTarget(target)}: ${problem}; the static message was used.`,
    }),
  );
  return fallback;
}

type Outcome = { ok: true; value: CelValue } | { ok: false; error: string };

function run(program: PolicyValidation["expression"]["program"], bindings: Record<string, CelInput>): Outcome {
  let result: CelResult;
  try {
    result = program(bindings);
  } catch (err) {
    // The evaluator reports errors as values; anything thrown is still one expression's failure, not the run's.
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return isCelError(result) ? { ok: false, error: result.message } : { ok: true, value: result };
}

/**
 * The variables of one object, each computed once per tree and only when an
 * expression reads it: JSON conversion of the object, its BASE revision, its
 * Namespace and its routes.
 */
class TargetVariables {
  private readonly objects = new Map<Resource, CelInput>();
  private readonly olds = new Map<Typed<unknown>, Resource | null>();
  private readonly namespaces = new Map<string, CelInput>();
  private readonly routes = new Map<Resource, CelInput>();
  private routeIndex: Map<string, HostRoutes[]> | null = null;

  constructor(private readonly input: PolicyInput) {}

  /** Forgets what only `target` needed (its object, its BASE revision's, its routes); Namespaces stay. */
  release(target: Typed<unknown>): void {
    const old = this.olds.get(target);
    if (old) this.objects.delete(old);
    this.olds.delete(target);
    this.objects.delete(target.res);
    this.routes.delete(target.res);
  }

  oldResource(target: Typed<unknown>): Resource | null {
    let old = this.olds.get(target);
    if (old === undefined) {
      old = this.input.baseModel?.get<unknown>(groupKindOf(target.res), target.namespace, target.res.name)?.res ?? null;
      this.olds.set(target, old);
    }
    return old;
  }

  bindings(target: Typed<unknown>, v: PolicyValidation, params: CelInput): Record<PolicyVariable, CelInput> {
    const needed = new Set<string>([...v.expression.variables, ...(v.messageExpression?.variables ?? [])]);
    const old = needed.has("oldObject") ? this.oldResource(target) : null;
    return {
      object: needed.has("object") ? this.json(target.res) : null,
      oldObject: old ? this.json(old) : null,
      namespaceObject: needed.has("namespaceObject") ? this.namespaceObject(target) : null,
      routes: needed.has("routes") ? this.routesOf(target.res) : null,
      params,
    };
  }

  private json(res: Resource): CelInput {
    let v = this.objects.get(res);
    if (v === undefined) this.objects.set(res, (v = toCelInput(res.object)));
    return v;
  }

  /** Kubernetes: the Namespace of a namespaced object, null for a cluster-scoped one; here also null when the tree has no Namespace object for it. */
  private namespaceObject(target: Typed<unknown>): CelInput {
    const ns = target.namespace;
    if (ns === null) return null;
    let v = this.namespaces.get(ns);
    if (v === undefined) {
      const res = this.input.model.get<unknown>("/Namespace", null, ns)?.res;
      this.namespaces.set(ns, (v = res ? this.json(res) : null));
    }
    return v;
  }

  /** The HostRoutes this object shaped: those listing it among their origins. */
  private routesOf(res: Resource): CelInput {
    let v = this.routes.get(res);
    if (v === undefined) {
      if (!this.routeIndex) {
        this.routeIndex = new Map();
        for (const host of this.input.table.hosts) {
          for (const key of new Set(host.origins.map((o) => refKey(o.resource)))) {
            let list = this.routeIndex.get(key);
            if (!list) this.routeIndex.set(key, (list = []));
            list.push(host);
          }
        }
      }
      this.routes.set(res, (v = toCelInput(this.routeIndex.get(refKey(res)) ?? [])));
    }
    return v;
  }
}

function refKey(r: { apiVersion: string; kind: string; namespace: string | null; name: string }): string {
  return `${r.apiVersion}\u0000${r.kind}\u0000${r.namespace ?? ""}\u0000${r.name}`;
}

function describeTarget(t: Typed<unknown>): string {
  const res = t.res;
  return `${res.kind} ${t.namespace ? `${t.namespace}/` : ""}${res.name} (${res.file}:${res.position.line})`;
}

function describeValue(v: CelValue): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return `the int ${v}`;
  if (typeof v === "number") return `the double ${v}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === "boolean") return `the bool ${v}`;
  return "a value of another type";
}
