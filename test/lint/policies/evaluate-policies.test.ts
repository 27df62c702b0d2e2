import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies, policyRules } from "../../../src/lint/policies/evaluate-policies.js";
import { policyCodes } from "../../../src/lint/policies/policy-codes.js";
import { evaluate, located, policiesFrom, policyYaml, tree } from "./policy-fixtures.js";

const namespaces = `apiVersion: v1
kind: Namespace
metadata:
  name: shop-prod
  labels:
    env: prod
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop-staging
  labels:
    env: staging
`;

function virtualService(name: string, namespace: string, http: string, labels = ""): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${namespace}
${labels}spec:
  hosts:
    - ${name}
  http:
${http}`;
}

const simpleRoute = (host: string, extra = "") => `    - route:
        - destination:
            host: ${host}
${extra}`;

const vsOnly = `  matchConstraints:
    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]
`;

describe("evaluatePolicies: variables", () => {
  it("`object` is the resource as written; a false validation is a finding at the resource with the policy's name as code", () => {
    const policies = policiesFrom({
      "p.yaml": policyYaml("named-routes", `${vsOnly}  validations:\n    - expression: "object.spec.http.all(r, has(r.name))"\n      message: every route has a name\n      severity: warning\n      path: spec.http\n`),
    });
    const findings = evaluate(policies, {
      "vs.yaml": `${virtualService("reviews", "shop", simpleRoute("reviews"))}---\n${virtualService("ratings", "shop", "    - name: all\n      route:\n        - destination:\n            host: ratings\n")}`,
    });
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0], {
      code: "named-routes",
      severity: "warning",
      message: "every route has a name",
      resource: { apiVersion: "networking.istio.io/v1", kind: "VirtualService", namespace: "shop", name: "reviews" },
      file: "vs.yaml",
      line: 9,
      column: 3,
      path: "spec.http",
      equivalents: [],
    });
  });

  it("`params` holds the policy's params, with whole numbers as CEL ints", () => {
    const doc = policyYaml(
      "max-rules",
      `${vsOnly}  params: { maxRules: 1, suffix: "-vs" }\n  validations:\n    - expression: "size(object.spec.http) <= params.maxRules && type(params.maxRules) == int"\n    - expression: "object.metadata.name.endsWith(params.suffix)"\n`,
    );
    const findings = evaluate(policiesFrom({ "p.yaml": doc }), {
      "vs.yaml": virtualService("two-rules-vs", "shop", `${simpleRoute("a")}${simpleRoute("b")}`),
    });
    assert.deepEqual(findings.map((f) => f.message), ["failed expression: size(object.spec.http) <= params.maxRules && type(params.maxRules) == int"]);
  });

  it("reports policy by policy, each policy's findings in the order it selects its targets", () => {
    // The second policy selects DestinationRules before VirtualServices; the first, VirtualServices only.
    const both = `  matchConstraints:
    resourceRules:
      - { apiGroups: ["networking.istio.io"], kinds: ["DestinationRule"] }
      - { apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }
`;
    const policies = policiesFrom({
      "a.yaml": policyYaml("vs-named-x", `${vsOnly}  validations:\n    - expression: "object.metadata.name.startsWith('x')"\n`),
      "b.yaml": policyYaml("all-named-y", `${both}  validations:\n    - expression: "object.metadata.name.startsWith('y')"\n`),
    });
    const dr = (name: string) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  host: ${name}\n`;
    const findings = evaluate(policies, {
      "mesh.yaml": `${virtualService("reviews", "shop", simpleRoute("reviews"))}---\n${dr("ratings")}---\n${virtualService("details", "shop", simpleRoute("details"))}`,
    });
    assert.deepEqual(
      findings.map((f) => `${f.code} ${f.resource?.kind} ${f.resource?.name}`),
      [
        "vs-named-x VirtualService reviews",
        "vs-named-x VirtualService details",
        "all-named-y DestinationRule ratings",
        "all-named-y VirtualService reviews",
        "all-named-y VirtualService details",
      ],
    );
  });

  it("`params` is null for a policy without params", () => {
    const doc = policyYaml("no-params", `${vsOnly}  validations:\n    - expression: "params == null"\n`);
    assert.deepEqual(evaluate(policiesFrom({ "p.yaml": doc }), { "vs.yaml": virtualService("r", "shop", simpleRoute("r")) }), []);
  });

  it("`namespaceObject` is the Namespace object from the tree, null when the tree has none", () => {
    const doc = policyYaml(
      "namespace-env",
      `${vsOnly}  validations:\n    - expression: "namespaceObject != null && namespaceObject.metadata.labels.env in ['prod', 'staging']"\n      messageExpression: "'namespace without env: ' + object.metadata.namespace"\n`,
    );
    const findings = evaluate(policiesFrom({ "p.yaml": doc }), {
      "ns.yaml": namespaces,
      "vs.yaml": [
        virtualService("a", "shop-prod", simpleRoute("a")),
        virtualService("b", "shop-staging", simpleRoute("b")),
        virtualService("c", "undeclared", simpleRoute("c")),
      ].join("---\n"),
    });
    assert.deepEqual(findings.map((f) => f.message), ["namespace without env: undeclared"]);
  });

  it("`oldObject` is the same object on the base revision, null when it is new or there is no base", () => {
    const doc = policyYaml(
      "hosts-stable",
      `${vsOnly}  validations:\n    - expression: "oldObject == null || oldObject.spec.hosts == object.spec.hosts"\n      message: hosts changed\n`,
    );
    const policies = policiesFrom({ "p.yaml": doc });
    const head = {
      "vs.yaml": [virtualService("kept", "shop", simpleRoute("kept")), virtualService("moved", "shop", simpleRoute("moved")), virtualService("new", "shop", simpleRoute("new"))].join("---\n"),
    };
    const base = {
      "vs.yaml": [virtualService("kept", "shop", simpleRoute("kept")), virtualService("moved", "shop", simpleRoute("moved")).replace("    - moved", "    - elsewhere")].join("---\n"),
    };
    assert.deepEqual(evaluate(policies, head, base).map((f) => f.resource?.name), ["moved"]);
    assert.deepEqual(evaluate(policies, head), [], "without a base every object is new");
  });

  it("`routes` holds the effective routing of the hosts the object shapes", () => {
    const doc = policyYaml(
      "two-versions",
      `${vsOnly}  validations:\n    - expression: "routes.all(h, h.rules.all(r, size(r.backends) <= 1 || r.backends.all(b, b.weight >= 10)))"\n      messageExpression: "'tiny share on ' + routes.map(h, h.host).join(', ')"\n`,
    );
    const split = (a: number, b: number) => `    - route:
        - destination:
            host: reviews
          weight: ${a}
        - destination:
            host: reviews.other.svc.cluster.local
          weight: ${b}
`;
    const findings = evaluate(policiesFrom({ "p.yaml": doc }), {
      "vs.yaml": [virtualService("reviews", "shop", split(95, 5)), virtualService("ratings", "shop", split(50, 50).replaceAll("reviews", "ratings"))].join("---\n"),
    });
    assert.deepEqual(findings.map((f) => f.message), ["tiny share on reviews.shop.svc.cluster.local"]);
  });
});

describe("evaluatePolicies: which objects a policy applies to", () => {
  const everyVs = (constraints: string) =>
    policiesFrom({
      "p.yaml": policyYaml("flag-all", `  matchConstraints:\n${constraints}  validations:\n    - expression: "false"\n`),
    });
  const names = (policies: ReturnType<typeof everyVs>, files: Record<string, string>) => evaluate(policies, files).map((f) => `${f.resource?.kind}/${f.resource?.name}`).sort();
  const trees = {
    "ns.yaml": namespaces,
    "vs.yaml": [
      virtualService("a", "shop-prod", simpleRoute("a"), "  labels:\n    tier: frontend\n"),
      virtualService("b", "shop-staging", simpleRoute("b")),
      virtualService("c", "other", simpleRoute("c"), "  labels:\n    tier: backend\n"),
    ].join("---\n"),
    "dr.yaml": "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: a\n  namespace: shop-prod\nspec:\n  host: a\n",
  };

  it("namespaceSelector selects by the labels of the Namespace objects in the tree", () => {
    const p = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n    namespaceSelector: { matchLabels: { env: prod } }\n`);
    assert.deepEqual(names(p, trees), ["VirtualService/a"]);
  });

  it("namespaceSelector matchExpressions: NotIn also selects namespaces without the label", () => {
    const p = everyVs(
      `    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n    namespaceSelector:\n      matchExpressions: [{ key: env, operator: NotIn, values: [prod] }]\n`,
    );
    assert.deepEqual(names(p, trees), ["VirtualService/b", "VirtualService/c"]);
  });

  it("namespaces are globs", () => {
    const p = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n    namespaces: ["shop-*"]\n`);
    assert.deepEqual(names(p, trees), ["VirtualService/a", "VirtualService/b"]);
  });

  it("objectSelector selects by the object's labels", () => {
    const p = everyVs(
      `    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n    objectSelector: { matchExpressions: [{ key: tier, operator: Exists }] }\n`,
    );
    assert.deepEqual(names(p, trees), ["VirtualService/a", "VirtualService/c"]);
  });

  it("objectSelector also selects an object whose BASE revision matches (the label was just removed)", () => {
    const p = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n    objectSelector: { matchLabels: { tier: frontend } }\n`);
    const head = { "vs.yaml": virtualService("a", "shop", simpleRoute("a")) };
    const base = { "vs.yaml": virtualService("a", "shop", simpleRoute("a"), "  labels:\n    tier: frontend\n") };
    assert.deepEqual(evaluate(p, head, base).length, 1);
    assert.deepEqual(evaluate(p, head).length, 0);
  });

  it("kinds and groups may be `*`; only the named kinds are visited otherwise", () => {
    const all = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["*"] }]\n    namespaces: ["shop-prod"]\n`);
    assert.deepEqual(names(all, trees), ["DestinationRule/a", "VirtualService/a"]);
    const core = everyVs(`    resourceRules: [{ apiGroups: ["*"], kinds: ["Namespace"] }]\n`);
    assert.deepEqual(names(core, trees), ["Namespace/shop-prod", "Namespace/shop-staging"]);
  });

  it("apiVersions and resourceNames narrow a rule", () => {
    const p = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], apiVersions: ["v1"], kinds: ["VirtualService"], resourceNames: ["b", "c"] }]\n`);
    assert.deepEqual(names(p, trees), ["VirtualService/b", "VirtualService/c"]);
    const old = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], apiVersions: ["v1beta1"], kinds: ["VirtualService"] }]\n`);
    assert.deepEqual(names(old, trees), []);
  });

  it("an object that fails its schema is not evaluated (it has its own finding)", () => {
    const p = everyVs(`    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]\n`);
    const t = tree({ "vs.yaml": virtualService("broken", "shop", "    - route: 7\n") });
    assert.notDeepEqual(t.findings, []);
    assert.deepEqual(evaluatePolicies(p, { model: t.model, table: t.table, baseModel: null }), []);
  });
});

describe("evaluatePolicies: messages", () => {
  it("uses messageExpression, else message, else `failed expression: <expression>`", () => {
    const doc = policyYaml(
      "three-ways",
      `${vsOnly}  validations:\n    - expression: "false"\n      messageExpression: "object.metadata.name + ' has no luck'"\n      message: static\n    - expression: "1 > 2"\n      message: static only\n    - expression: "object.metadata.name == 'x'"\n`,
    );
    const findings = evaluate(policiesFrom({ "p.yaml": doc }), { "vs.yaml": virtualService("reviews", "shop", simpleRoute("reviews")) });
    assert.deepEqual(findings.map((f) => f.message), ["reviews has no luck", "static only", "failed expression: object.metadata.name == 'x'"]);
  });

  it("falls back to the static message when messageExpression fails, and says so on the policy (MP0039)", () => {
    const doc = policyYaml(
      "bad-message",
      `${vsOnly}  validations:\n    - expression: "false"\n      messageExpression: "object.spec.nothere"\n      message: fallback\n    - expression: "false"\n      messageExpression: "'two\\\\nlines'"\n`,
    );
    const findings = evaluate(policiesFrom({ "p.yaml": doc }), { "vs.yaml": virtualService("reviews", "shop", simpleRoute("reviews")) });
    assert.deepEqual(
      findings.map((f) => [f.code, f.file, f.line, f.message.replace(/: .*/, "")]),
      [
        [policyCodes.messageExpressionFailed.code, "p.yaml", 10, "MeshPolicy bad-message"],
        ["bad-message", "vs.yaml", 1, "fallback"],
        [policyCodes.messageExpressionFailed.code, "p.yaml", 13, "MeshPolicy bad-message"],
        ["bad-message", "vs.yaml", 1, "failed expression"],
      ],
    );
    assert.match(findings[2]!.message, /more than one line/);
  });
});

describe("evaluatePolicies: an expression that fails on one object does not stop the others", () => {
  const doc = policyYaml(
    "timeouts-set",
    `${vsOnly}  validations:\n    - expression: "object.spec.http.all(r, r.timeout != '')"\n      message: empty timeout\n    - expression: "object.metadata.name"\n`,
  );
  const other = policyYaml("always-fails", `${vsOnly}  validations:\n    - expression: "false"\n`);
  const files = {
    "vs.yaml": [
      virtualService("no-timeout", "shop", simpleRoute("a")),
      virtualService("empty-timeout", "shop", simpleRoute("b", "      timeout: ''\n")),
    ].join("---\n"),
  };
  const findings = evaluate(policiesFrom({ "a.yaml": doc, "b.yaml": other }), files);

  it("reports the error as MP0038 on the policy's expression, naming the object", () => {
    const errors = findings.filter((f) => f.code === policyCodes.evaluationError.code);
    assert.deepEqual(located(errors), ["MP0038 a.yaml:9", "MP0038 a.yaml:11", "MP0038 a.yaml:11"]);
    assert.match(errors[0]!.message, /failed on VirtualService shop\/no-timeout \(vs\.yaml:1\): .*timeout/);
    assert.deepEqual(errors[0]!.resource, { apiVersion: "policy.meshplan.io/v1alpha1", kind: "MeshPolicy", namespace: null, name: "timeouts-set" });
  });

  it("reports a result that is not a bool as MP0038", () => {
    const notBool = findings.filter((f) => f.code === policyCodes.evaluationError.code && /not a bool/.test(f.message));
    assert.equal(notBool.length, 2);
    assert.match(notBool[0]!.message, /evaluated to the string "no-timeout"/);
  });

  it("still evaluates the other objects and policies", () => {
    assert.deepEqual(
      findings.filter((f) => !f.code.startsWith("MP")).map((f) => `${f.code} ${f.resource?.name}`),
      ["timeouts-set empty-timeout", "always-fails no-timeout", "always-fails empty-timeout"],
    );
  });
});

describe("policyRules", () => {
  it("gives each policy's code, title, worst severity and docs", () => {
    const doc = policyYaml(
      "documented",
      `${vsOnly}  validations:\n    - expression: "true"\n      severity: info\n    - expression: "true"\n      severity: warning\n`,
    ).replace("  name: documented\n", "  name: documented\n  annotations:\n    meshplan.io/title: Well documented\n    meshplan.io/description: Explains itself.\n");
    const bare = policyYaml("bare", `${vsOnly}  validations:\n    - expression: "true"\n`);
    assert.deepEqual(policyRules(policiesFrom({ "d.yaml": doc, "b.yaml": bare })), [
      { code: "documented", title: "Well documented", severity: "warning", docs: "Explains itself.", equivalents: [] },
      { code: "bare", title: "bare", severity: "error", docs: "Organisational policy bare, defined in b.yaml.", equivalents: [] },
    ]);
  });
});
