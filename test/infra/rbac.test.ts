/**
 * infra/kubernetes/meshplan-rbac.yaml: what meshplan may do in a cluster. Read with meshplan's
 * own loader, then checked against what the sync does (src/cluster/sync.ts): server-side apply,
 * label-selected lists in every namespace, prune; the ApplySet parent ConfigMap; and the kinds
 * the apply order (src/cluster/apply-order.ts) places before routes and as routes.
 *
 * The Kubernetes API double serves no rbac.authorization.k8s.io, so the file is not applied to
 * it; the checks are structural.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { APPLY_TIERS } from "../../src/cluster/apply-order.js";
import { meshplanConfigSchema } from "../../src/config/meshplan-config.js";
import { loadManifests } from "../../src/manifests/load.js";
import type { Resource } from "../../src/manifests/types.js";
import { validateResources } from "../../src/manifests/validate.js";
import { meshCrds } from "../support/kube-double/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PATH = "infra/kubernetes/meshplan-rbac.yaml";
const loaded = loadManifests([{ path: PATH, content: readFileSync(join(root, PATH)) }]);

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

const WRITE = ["create", "patch", "delete"];
const READ = ["get", "list"];
const ALLOWED_VERBS = new Set([...READ, ...WRITE]);

/** Kinds whose objects pick a controller for the whole cluster: read, never written (see the file). */
const CLASS_KINDS = new Set(["gateway.networking.k8s.io/GatewayClass", "networking.k8s.io/IngressClass"]);

/** The mesh kinds: the custom resources of meshCrds() and the built-in Ingress API the double does not serve. */
const meshKinds = new Map<string, { group: string; plural: string }>([
  ...meshCrds().map((c) => [`${c.group}/${c.kind}`, { group: c.group, plural: c.plural }] as const),
  ["networking.k8s.io/Ingress", { group: "networking.k8s.io", plural: "ingresses" }],
  ["networking.k8s.io/IngressClass", { group: "networking.k8s.io", plural: "ingressclasses" }],
]);

function one(kind: string, name?: string): Resource {
  const found = loaded.resources.filter((r) => r.kind === kind && (name === undefined || r.name === name));
  assert.equal(found.length, 1, `one ${kind}${name ? ` ${name}` : ""} in ${PATH}`);
  return found[0]!;
}

const rulesOf = (r: Resource) => (r.object["rules"] ?? []) as PolicyRule[];
const clusterRole = () => one("ClusterRole", "meshplan");
const applySetRole = () => one("Role", "meshplan-applyset");

/** The verbs the rules grant on `group`/`plural`, without a resourceNames restriction. */
function verbsOn(rules: readonly PolicyRule[], group: string, plural: string): Set<string> {
  return new Set(
    rules
      .filter((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(plural) && (r.resourceNames ?? []).length === 0)
      .flatMap((r) => r.verbs),
  );
}

describe("meshplan-rbac.yaml", () => {
  it("loads and validates with meshplan's own loader without an error", () => {
    assert.deepEqual(loaded.findings.filter((f) => f.severity === "error"), []);
    const { findings } = validateResources(loaded.resources);
    assert.deepEqual(findings.filter((f) => f.severity === "error"), []);
    assert.deepEqual(loaded.resources.map((r) => r.kind), ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
  });

  it("grants no wildcard: not in verbs, resources, API groups or names", () => {
    for (const r of [clusterRole(), applySetRole()]) {
      for (const rule of rulesOf(r)) {
        for (const field of ["verbs", "resources", "apiGroups", "resourceNames"] as const) {
          for (const value of rule[field] ?? []) assert.ok(!value.includes("*"), `${r.kind} ${r.name}: ${field} ${value}`);
        }
        assert.equal(rule.nonResourceURLs, undefined, `${r.kind} ${r.name}: discovery needs no rule of its own`);
      }
    }
  });

  it("uses only get, list, create, patch and delete: no update, no watch, no escalation", () => {
    for (const r of [clusterRole(), applySetRole()]) {
      for (const rule of rulesOf(r)) {
        for (const verb of rule.verbs) assert.ok(ALLOWED_VERBS.has(verb), `${r.kind} ${r.name} grants ${verb}`);
      }
    }
  });
});

describe("the ClusterRole", () => {
  const applied = APPLY_TIERS.filter((t) => t.name === "destinations" || t.name === "routes").flatMap((t) => t.kinds);

  it("knows every kind applied as a destination or a route as a mesh kind", () => {
    assert.deepEqual(applied.filter((gk) => !meshKinds.has(gk)), []);
  });

  for (const gk of applied) {
    const readOnly = CLASS_KINDS.has(gk);
    it(`${readOnly ? "reads" : "reads, applies and prunes"} ${gk}, cluster-wide`, () => {
      const { group, plural } = meshKinds.get(gk)!;
      const verbs = verbsOn(rulesOf(clusterRole()), group, plural);
      assert.deepEqual([...verbs].sort(), (readOnly ? READ : [...READ, ...WRITE]).sort());
    });
  }

  it("reads, applies and prunes every mesh custom resource but GatewayClass (OSM policies included)", () => {
    for (const [gk, { group, plural }] of meshKinds) {
      const verbs = verbsOn(rulesOf(clusterRole()), group, plural);
      assert.deepEqual([...verbs].sort(), (CLASS_KINDS.has(gk) ? READ : [...READ, ...WRITE]).sort(), gk);
    }
  });

  it("covers mesh kinds only: Services, Deployments and Secrets need rules a tree holding them adds", () => {
    const mesh = new Set([...meshKinds.values()].map((k) => `${k.group}/${k.plural}`));
    for (const rule of rulesOf(clusterRole())) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) assert.ok(mesh.has(`${group}/${resource}`), `${group}/${resource} is not a mesh kind`);
      }
    }
  });

  it("is bound to the meshplan ServiceAccount in meshplan-system", () => {
    const ns = one("Namespace", "meshplan-system");
    const sa = one("ServiceAccount", "meshplan");
    assert.equal(sa.namespace, ns.name);
    const binding = one("ClusterRoleBinding");
    assert.deepEqual(binding.object["roleRef"], { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "meshplan" });
    assert.deepEqual(binding.object["subjects"], [{ kind: "ServiceAccount", name: "meshplan", namespace: "meshplan-system" }]);
  });
});

describe("the ApplySet parent's Role", () => {
  const parent = meshplanConfigSchema.parse({ clusters: [{ name: "prod" }] }).clusters[0]!.applySet;

  it("lives in the namespace of meshplan.yaml's default parent", () => {
    assert.deepEqual(parent, { name: "meshplan", namespace: "default" });
    assert.equal(applySetRole().namespace, parent.namespace);
  });

  it("reads and applies the parent ConfigMap by name; creates ConfigMaps, which RBAC cannot narrow by name", () => {
    const rules = rulesOf(applySetRole());
    for (const rule of rules) assert.deepEqual([rule.apiGroups, rule.resources], [[""], ["configmaps"]]);
    const named = rules.filter((r) => (r.resourceNames ?? []).length > 0);
    assert.deepEqual(named.map((r) => [r.resourceNames, [...r.verbs].sort()]), [[[parent.name], ["get", "patch"]]]);
    const unnamed = rules.filter((r) => (r.resourceNames ?? []).length === 0);
    assert.deepEqual(unnamed.map((r) => r.verbs), [["create"]]);
  });

  it("is bound to the meshplan ServiceAccount", () => {
    const binding = one("RoleBinding", "meshplan-applyset");
    assert.equal(binding.namespace, parent.namespace);
    assert.deepEqual(binding.object["roleRef"], { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "meshplan-applyset" });
    assert.deepEqual(binding.object["subjects"], [{ kind: "ServiceAccount", name: "meshplan", namespace: "meshplan-system" }]);
  });
});
