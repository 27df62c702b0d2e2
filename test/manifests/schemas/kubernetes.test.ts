import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadManifests } from "../../../src/manifests/load.js";
import { isKnownKind, schemaFor } from "../../../src/manifests/schemas/index.js";
import { validateResources } from "../../../src/manifests/validate.js";

/** Paths of the schema violations of one document (empty: valid). */
function violations(yaml: string): (string | null)[] {
  const { resources, findings } = loadManifests([{ path: "k.yaml", content: yaml }]);
  assert.deepEqual(findings, []);
  assert.equal(resources.length, 1);
  return validateResources(resources).findings.map((f) => f.path);
}

const meta = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n`;
const service = (spec: string) => `${meta("v1", "Service")}spec:\n${spec}`;
const deployment = (apiVersion: string, spec: string) => `${meta(apiVersion, "Deployment")}spec:\n${spec}`;
const template = "  template:\n    metadata:\n      labels: {app: web}\n    spec: {}\n";

describe("kubernetes schemas", () => {
  const cases: { name: string; yaml: string; paths: string[] }[] = [
    { name: "a Namespace without spec", yaml: meta("v1", "Namespace"), paths: [] },
    { name: "a ServiceAccount without spec", yaml: meta("v1", "ServiceAccount"), paths: [] },
    { name: "a ConfigMap without spec", yaml: `${meta("v1", "ConfigMap")}data:\n  a: "1"\n`, paths: [] },
    { name: "a Secret with stringData", yaml: `${meta("v1", "Secret")}type: Opaque\nstringData:\n  token: abc\n`, paths: [] },
    { name: "a ConfigMap with a number value", yaml: `${meta("v1", "ConfigMap")}data:\n  replicas: 3\n`, paths: ["data.replicas"] },
    {
      name: "a Service with numeric and named targetPorts",
      yaml: service("  ports:\n  - port: 80\n    targetPort: 8080\n  - port: 81\n    targetPort: http-alt\n    protocol: UDP\n"),
      paths: [],
    },
    { name: "a Service without spec (Istio analyzer test inputs have them)", yaml: meta("v1", "Service"), paths: [] },
    { name: "an ExternalName Service", yaml: service("  type: ExternalName\n  externalName: api.example.com\n"), paths: [] },
    { name: "a Service with port 0", yaml: service("  ports:\n  - port: 0\n"), paths: ["spec.ports[0].port"] },
    { name: "a Service with port 65536", yaml: service("  ports:\n  - port: 65536\n"), paths: ["spec.ports[0].port"] },
    { name: "a Service with a quoted port", yaml: service('  ports:\n  - port: "80"\n'), paths: ["spec.ports[0].port"] },
    { name: "a Service without port", yaml: service("  ports:\n  - name: http\n"), paths: ["spec.ports[0].port"] },
    { name: "a Service with a boolean targetPort", yaml: service("  ports:\n  - port: 80\n    targetPort: true\n"), paths: ["spec.ports[0].targetPort"] },
    { name: "a Service of an unknown type", yaml: service("  type: Internal\n"), paths: ["spec.type"] },
    { name: "a Service selector with a number value", yaml: service("  selector:\n    version: 2\n"), paths: ["spec.selector.version"] },
    {
      name: "an apps/v1 Deployment",
      yaml: deployment("apps/v1", `  selector:\n    matchLabels: {app: web}\n${template}`),
      paths: [],
    },
    { name: "an apps/v1 Deployment without selector", yaml: deployment("apps/v1", template), paths: ["spec.selector"] },
    { name: "an apps/v1beta1 Deployment without selector (defaulted then)", yaml: deployment("apps/v1beta1", template), paths: [] },
    { name: "an apps/v1beta2 Deployment without selector", yaml: deployment("apps/v1beta2", template), paths: ["spec.selector"] },
    {
      name: "a selector with an unknown operator",
      yaml: deployment("apps/v1", `  selector:\n    matchExpressions:\n    - {key: app, operator: Equals}\n${template}`),
      paths: ["spec.selector.matchExpressions[0].operator"],
    },
    {
      name: "a StatefulSet with a numeric serviceAccountName",
      yaml: `${meta("apps/v1", "StatefulSet")}spec:\n  selector: {matchLabels: {app: db}}\n  template:\n    spec:\n      serviceAccountName: 42\n`,
      paths: ["spec.template.spec.serviceAccountName"],
    },
    { name: "a Pod without spec (Istio analyzer test inputs have them)", yaml: meta("v1", "Pod"), paths: [] },
    { name: "a Pod with a list serviceAccount", yaml: `${meta("v1", "Pod")}spec:\n  serviceAccount: [a]\n`, paths: ["spec.serviceAccount"] },
    { name: "a Pod with a boolean label (YAML 1.1 `on`)", yaml: `${meta("v1", "Pod")}  labels:\n    sidecar: on\n`, paths: ["metadata.labels.sidecar"] },
  ];
  for (const c of cases) {
    it(c.paths.length ? `rejects ${c.name} at ${c.paths.join(", ")}` : `accepts ${c.name}`, () => {
      assert.deepEqual(violations(c.yaml), c.paths);
    });
  }

  it("declares Namespace cluster-scoped and the other kinds namespaced", () => {
    assert.equal(schemaFor("", "v1", "Namespace")?.namespaced, false);
    for (const [group, kind] of [
      ["", "Service"],
      ["", "ServiceAccount"],
      ["", "ConfigMap"],
      ["", "Secret"],
      ["", "Pod"],
      ["apps", "Deployment"],
      ["apps", "StatefulSet"],
      ["apps", "DaemonSet"],
    ] as const) {
      assert.equal(schemaFor(group, "v1", kind)?.namespaced, true, `${group}/${kind}`);
    }
  });

  it("lists the workload versions removed in Kubernetes 1.16 with a migration", () => {
    for (const [group, version, kind] of [
      ["apps", "v1beta1", "Deployment"],
      ["apps", "v1beta2", "DaemonSet"],
      ["extensions", "v1beta1", "DaemonSet"],
    ] as const) {
      const s = schemaFor(group, version, kind);
      assert.ok(s?.removedVersions?.includes(version), `${group}/${version} ${kind}`);
      assert.match(s?.migration ?? "", /apps\/v1/);
    }
    assert.equal(isKnownKind("extensions", "Deployment"), true);
    assert.equal(schemaFor("extensions", "v1beta1", "StatefulSet"), undefined);
  });
});
