/**
 * Schema validation of loaded resources: known kinds are checked with their
 * zod schema, unknown kinds pass through untouched, and an object declared
 * twice in the tree is reported.
 */
import type { z } from "zod";
import type { Finding } from "../findings.js";
import { findingAt, formatPath } from "../findings.js";
import { inputCodes, inputFinding } from "./codes.js";
import { sameValue } from "./same-value.js";
import { allSchemas, isKnownKind, schemaFor } from "./schemas/index.js";
import type { FieldPath, Resource } from "./types.js";

export interface ValidateOptions {
  /** Namespace of namespaced objects that set none, for object identity (kubectl's default). */
  defaultNamespace: string;
}

export function defaultValidateOptions(): ValidateOptions {
  return { defaultNamespace: "default" };
}

export interface ValidationResult {
  /** Resources that may be used for routing, in load order, with their validated object. */
  valid: Map<Resource, unknown>;
  findings: Finding[];
}

export function validateResources(resources: readonly Resource[], options?: Partial<ValidateOptions>): ValidationResult {
  const opts = { ...defaultValidateOptions(), ...options };
  const valid = new Map<Resource, unknown>();
  const findings: Finding[] = [];
  const seen = new Map<string, Resource>();
  const kept = new Map<string, Resource>();

  for (const res of resources) {
    const identity = objectIdentity(res, opts.defaultNamespace);
    const first = seen.get(identity);
    if (first) {
      findings.push(
        findingAt(
          res,
          ["metadata", "name"],
          inputFinding(
            inputCodes.duplicateObject,
            `${describeObject(res, opts.defaultNamespace)} is declared again; first declared at ${first.file}:${first.position.line}. ` +
              "kubectl apply would apply both in order, so this one replaces the first.",
            "Keep one declaration of the object.",
          ),
        ),
      );
    } else {
      seen.set(identity, res);
    }

    const checked = checkOnce(res);
    for (const f of checked.findings) findings.push(f);
    if (checked.value === rejected) continue;
    // The later declaration is what the cluster ends up with, as kubectl applies documents in order.
    const previous = kept.get(identity);
    if (previous) valid.delete(previous);
    kept.set(identity, res);
    valid.set(res, checked.value);
  }
  return { valid, findings };
}

const rejected = Symbol("rejected");

interface Checked {
  value: unknown;
  findings: readonly Finding[];
}

/**
 * Schema checks by Resource. A check depends on nothing but the Resource,
 * which is never mutated, and the base and head of a change share the
 * Resources of every unchanged file (loadManifests), so each is checked once.
 */
const checkedResources = new WeakMap<Resource, Checked>();
const noFindings: readonly Finding[] = Object.freeze([]);

function checkOnce(res: Resource): Checked {
  let checked = checkedResources.get(res);
  if (!checked) {
    const findings: Finding[] = [];
    const outcome = check(res, findings);
    checked = { value: outcome === rejected ? rejected : outcome.value, findings: findings.length ? findings : noFindings };
    checkedResources.set(res, checked);
  }
  return checked;
}

function check(res: Resource, findings: Finding[]): { value: unknown } | typeof rejected {
  const schema = schemaFor(res.group, res.version, res.kind);
  if (!schema) {
    if (!isKnownKind(res.group, res.kind)) return { value: res.object };
    const served = servedVersions(res.group, res.kind);
    findings.push(
      findingAt(
        res,
        ["apiVersion"],
        inputFinding(
          inputCodes.unknownVersion,
          `${res.kind} is not served in ${res.apiVersion}` +
            (served.length ? `; known versions: ${served.map((v) => apiVersionOf(res.group, v)).join(", ")}.` : "."),
          served.length ? `Use apiVersion ${apiVersionOf(res.group, served[0]!)}.` : undefined,
        ),
      ),
    );
    return rejected;
  }
  const parsed = schema.schema.safeParse(res.object);
  // The schemas are loose and transform nothing, so a valid object often comes back as an equal copy
  // (same keys in the same order); the model then holds the loaded object, not a second copy of it.
  // zod writes the keys a schema names before the others; the loaded object, with the same data in the
  // order the file has it, stands in for the copy.
  if (parsed.success) return { value: sameValue(parsed.data, res.object, true) ? res.object : parsed.data };
  for (const issue of parsed.error.issues) findings.push(schemaFinding(res, issue));
  return rejected;
}

function schemaFinding(res: Resource, issue: z.core.$ZodIssue): Finding {
  const path: FieldPath = issue.path.map((seg) => (typeof seg === "symbol" ? String(seg.description ?? "") : seg));
  const where = path.length ? formatPath(path) : "object";
  return findingAt(
    res,
    path,
    inputFinding(inputCodes.schemaViolation, `${res.kind} ${res.name}: ${where}: ${issue.message}`),
  );
}

/** Versions of a kind that are still served (newest schemas first, as the schema files list them). */
function servedVersions(group: string, kind: string): string[] {
  const out: string[] = [];
  for (const s of allSchemas) if (s.group === group && s.kind === kind) for (const v of s.versions) if (!out.includes(v)) out.push(v);
  return out;
}

function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * Built-in cluster-scoped kinds meshplan has no schema for; kinds with a
 * schema say so themselves (`namespaced: false`).
 */
const wellKnownClusterScoped = new Set<string>([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "networking.k8s.io/IngressClass",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "scheduling.k8s.io/PriorityClass",
  "node.k8s.io/RuntimeClass",
  "gateway.networking.k8s.io/GatewayClass",
]);

let schemaScope: Map<string, boolean> | null = null;

/** True for kinds whose objects live outside any namespace (metadata.namespace is ignored for them). */
export function isClusterScoped(group: string, kind: string): boolean {
  if (!schemaScope) {
    schemaScope = new Map();
    for (const s of allSchemas) schemaScope.set(`${s.group}/${s.kind}`, !s.namespaced);
  }
  const key = `${group}/${kind}`;
  return schemaScope.get(key) ?? wellKnownClusterScoped.has(key);
}

/**
 * The namespace an object lands in when applied: metadata.namespace, else the
 * default namespace; null for cluster-scoped kinds, whose namespace the API
 * server clears.
 */
export function effectiveNamespace(res: Resource, defaultNamespace: string): string | null {
  if (isClusterScoped(res.group, res.kind)) return null;
  return res.namespace ?? defaultNamespace;
}

/** Object identity across versions: group, kind, effective namespace and name. */
function objectIdentity(res: Resource, defaultNamespace: string): string {
  return `${res.group}/${res.kind}/${effectiveNamespace(res, defaultNamespace) ?? ""}/${res.name}`;
}

function describeObject(res: Resource, defaultNamespace: string): string {
  const ns = effectiveNamespace(res, defaultNamespace);
  return `${res.kind} ${ns ? `${ns}/` : ""}${res.name}`;
}
