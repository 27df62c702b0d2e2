/**
 * The base-ref rule: a pull request is checked with its BASE revision's
 * meshplan.yaml and policies, so a change cannot weaken the checks that judge it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { plan, type PlanTree } from "../../src/jobs/plan.js";

const mesh = (subset: string, timeout = "10s") => `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - timeout: ${timeout}
    route:
    - destination: {host: reviews, subset: ${subset}}
`;

const noLongTimeouts = (limit: string) => `apiVersion: policy.meshplan.io/v1alpha1
kind: MeshPolicy
metadata: {name: no-long-timeouts}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [networking.istio.io], kinds: [VirtualService]}]
  validations:
  - expression: "object.spec.http.all(r, !has(r.timeout) || r.timeout != '${limit}')"
    message: "route timeout ${limit} is not allowed"
`;

const tree = (label: string, files: Record<string, string>): PlanTree => ({
  label,
  commit: null,
  files: Object.entries(files).map(([path, content]) => ({ path, content })),
});

describe("a pull request is checked with its base revision's rules", () => {
  it("turning a rule off in meshplan.yaml does not silence it for the same change", () => {
    const base = tree("main", { "meshplan.yaml": "policies: []\n", "mesh/reviews.yaml": mesh("v1") });
    const head = tree("pr", { "meshplan.yaml": "policies: []\nrules:\n  MP0201: off\n", "mesh/reviews.yaml": mesh("v9") });
    const { report } = plan(base, head);
    assert.ok(report.findings.some((f) => f.code === "MP0201" && f.severity === "error"), "the missing subset is still an error");
    assert.equal(report.newFindings.filter((f) => f.code === "MP0201").length, 1);
    assert.deepEqual(report.rulesChange?.files, ["meshplan.yaml"]);
    assert.deepEqual(report.rulesChange?.wouldRemove.map((f) => f.code), ["MP0201"], "the preview shows the rule would go quiet after merge");
    const notice = report.findings.find((f) => f.code === "MP0024");
    assert.equal(notice?.severity, "info");
    assert.match(notice?.message ?? "", /checked with the rules of main/);
  });

  it("relaxing a policy in policies/ does not let the same change through", () => {
    const base = tree("main", { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": noLongTimeouts("60s"), "mesh/reviews.yaml": mesh("v1") });
    const head = tree("pr", { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": noLongTimeouts("90s"), "mesh/reviews.yaml": mesh("v1", "60s") });
    const { report } = plan(base, head);
    assert.deepEqual(report.newFindings.filter((f) => f.code === "no-long-timeouts").map((f) => f.file), ["mesh/reviews.yaml"]);
    assert.deepEqual(report.rulesChange?.files, ["policies/timeouts.yaml"]);
    assert.deepEqual(report.rulesChange?.wouldRemove.map((f) => f.code), ["no-long-timeouts"]);
  });

  it("deleting the policy file does not let the same change through", () => {
    const base = tree("main", { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": noLongTimeouts("60s"), "mesh/reviews.yaml": mesh("v1") });
    const head = tree("pr", { "meshplan.yaml": "policies: [policies]\n", "policies/other.yaml": noLongTimeouts("5s"), "mesh/reviews.yaml": mesh("v1", "60s") });
    const { report } = plan(base, head);
    assert.ok(report.findings.some((f) => f.code === "no-long-timeouts"));
  });

  it("unchanged rules give no notice and no preview", () => {
    const files = { "meshplan.yaml": "policies: []\n", "mesh/reviews.yaml": mesh("v1") };
    const { report } = plan(tree("main", files), tree("pr", { ...files, "mesh/reviews.yaml": mesh("v1", "5s") }));
    assert.equal(report.rulesChange, null);
    assert.ok(!report.findings.some((f) => f.code === "MP0024"));
  });

  it("policy files and meshplan.yaml are not planned as manifests", () => {
    const files = { "meshplan.yaml": "policies: [policies]\n", "policies/timeouts.yaml": noLongTimeouts("60s"), "mesh/reviews.yaml": mesh("v1") };
    const { report } = plan(tree("main", files), tree("pr", files));
    assert.equal(report.head.files, 1);
    assert.deepEqual(report.findings.filter((f) => f.file !== "mesh/reviews.yaml"), [], "nothing is reported on meshplan.yaml or the policy file");
  });
});
