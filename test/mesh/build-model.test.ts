import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Labels } from "../../src/mesh/types.js";
import { modelFromCorpus, modelFromYaml } from "../support/model.js";

const workloadNames = (ws: readonly { name: string }[]) => ws.map((w) => w.name).sort();

describe("buildModel on bookinfo (platform/kube/bookinfo.yaml)", () => {
  const { model, findings } = modelFromCorpus(["bookinfo/platform/kube/bookinfo.yaml"]);

  it("loads and validates without findings", () => {
    assert.deepEqual(findings, []);
    assert.deepEqual(model.findings, []);
  });

  it("has the four bookinfo services in the default namespace", () => {
    assert.deepEqual([...model.services.keys()].sort(), [
      "details.default.svc.cluster.local",
      "productpage.default.svc.cluster.local",
      "ratings.default.svc.cluster.local",
      "reviews.default.svc.cluster.local",
    ]);
  });

  it("selects reviews-v1, reviews-v2 and reviews-v3 for the reviews service, all as bookinfo-reviews", () => {
    const reviews = model.services.get("reviews.default.svc.cluster.local")!;
    assert.deepEqual(reviews.selector, { app: "reviews" });
    assert.deepEqual(workloadNames(reviews.workloads), ["reviews-v1", "reviews-v2", "reviews-v3"]);
    assert.deepEqual(reviews.serviceAccounts, ["bookinfo-reviews"]);
    assert.deepEqual(
      reviews.workloads.map((w) => [w.kind, w.namespace, w.labels.version]),
      [
        ["Deployment", "default", "v1"],
        ["Deployment", "default", "v2"],
        ["Deployment", "default", "v3"],
      ],
    );
  });

  it("applies Service port defaults: targetPort = port, protocol TCP", () => {
    const productpage = model.services.get("productpage.default.svc.cluster.local")!;
    assert.equal(productpage.type, "ClusterIP");
    assert.deepEqual(productpage.ports, [{ name: "http", port: 9080, targetPort: 9080, protocol: "TCP", appProtocol: null }]);
    assert.deepEqual(productpage.serviceAccounts, ["bookinfo-productpage"]);
  });

  it("lists and gets resources by group/kind, a null namespace meaning the default one", () => {
    assert.deepEqual(model.list("apps/Deployment").map((t) => t.res.name), [
      "details-v1",
      "ratings-v1",
      "reviews-v1",
      "reviews-v2",
      "reviews-v3",
      "productpage-v1",
    ]);
    assert.equal(model.list("/ServiceAccount").length, 4);
    assert.equal(model.get("/Service", null, "reviews")?.namespace, "default");
    assert.equal(model.get("/Service", "default", "reviews")?.res.name, "reviews");
    assert.equal(model.get("/Service", "bookinfo", "reviews"), undefined);
    assert.deepEqual(model.list("networking.istio.io/VirtualService"), []);
  });

  it("knows the default namespace only from the resources that use it", () => {
    assert.deepEqual([...model.namespaces.values()], [
      { name: "default", labels: {}, declared: false, istioInjected: false, istioRevision: null, osmMonitoredBy: null },
    ]);
  });
});

describe("buildModel on the OSM bookstore apps (osm/manifests/apps)", () => {
  const { model, findings } = modelFromCorpus(["osm/manifests/apps"]);

  it("loads every app without findings", () => {
    assert.deepEqual(findings, []);
  });

  it("selects both bookstore versions for the root bookstore service and one for each versioned service", () => {
    const svc = (name: string) => model.services.get(`${name}.bookstore.svc.cluster.local`)!;
    assert.deepEqual(workloadNames(svc("bookstore").workloads), ["bookstore", "bookstore-v2"]);
    assert.deepEqual(svc("bookstore").serviceAccounts, ["bookstore", "bookstore-v2"]);
    assert.deepEqual(workloadNames(svc("bookstore-v1").workloads), ["bookstore"]);
    assert.deepEqual(workloadNames(svc("bookstore-v2").workloads), ["bookstore-v2"]);
  });

  it("selects the mysql StatefulSet for the mysql service in bookwarehouse", () => {
    const mysql = model.services.get("mysql.bookwarehouse.svc.cluster.local")!;
    assert.deepEqual(mysql.workloads.map((w) => [w.kind, w.name, w.serviceAccount]), [["StatefulSet", "mysql", "mysql"]]);
  });

  it("gives bookbuyer and bookthief no service but keeps them as workloads", () => {
    const clients = model.workloads.filter((w) => w.name === "bookbuyer" || w.name === "bookthief");
    assert.deepEqual(clients.map((w) => [w.namespace, w.serviceAccount]), [
      ["bookbuyer", "bookbuyer"],
      ["bookthief", "bookthief"],
    ]);
  });

  it("collects the namespaces the apps live in, none of them declared", () => {
    assert.deepEqual([...model.namespaces.keys()], ["bookbuyer", "bookstore", "bookthief", "bookwarehouse", "tcp-demo"]);
    assert.ok([...model.namespaces.values()].every((ns) => !ns.declared && ns.osmMonitoredBy === null));
  });
});

describe("buildModel: namespace membership", () => {
  const cases: { labels: Labels; injected: boolean; revision: string | null; osm: string | null; why: string }[] = [
    { labels: { "istio-injection": "enabled" }, injected: true, revision: "default", osm: null, why: "the default injector" },
    { labels: { "istio.io/rev": "canary" }, injected: true, revision: "canary", osm: null, why: "a revision label" },
    { labels: { "istio-injection": "disabled", "istio.io/rev": "canary" }, injected: false, revision: null, osm: null, why: "disabled wins" },
    {
      labels: { "istio-injection": "enabled", "istio.io/rev": "canary" },
      injected: true,
      revision: "default",
      osm: null,
      why: "istio-injection takes precedence over istio.io/rev",
    },
    { labels: { "istio-injection": "true" }, injected: false, revision: null, osm: null, why: "only `enabled` enables" },
    { labels: {}, injected: false, revision: null, osm: null, why: "no label" },
    { labels: { "openservicemesh.io/monitored-by": "osm" }, injected: false, revision: null, osm: "osm", why: "OSM monitors it" },
  ];
  for (const c of cases) {
    it(`reads ${JSON.stringify(c.labels)} as injected=${c.injected} (${c.why})`, () => {
      const labels = Object.entries(c.labels)
        .map(([k, v]) => `    ${k}: "${v}"\n`)
        .join("");
      const { model, findings } = modelFromYaml({
        "ns.yaml": `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n${labels ? `  labels:\n${labels}` : ""}`,
      });
      assert.deepEqual(findings, []);
      const ns = model.namespaces.get("shop")!;
      assert.equal(ns.declared, true);
      assert.deepEqual(ns.labels, c.labels);
      assert.equal(ns.istioInjected, c.injected);
      assert.equal(ns.istioRevision, c.revision);
      assert.equal(ns.osmMonitoredBy, c.osm);
    });
  }

  it("adds namespaces used by resources, but none for cluster-scoped kinds", () => {
    const { model } = modelFromYaml(
      {
        "a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: web\n",
        "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
        "c.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: ignored\n",
      },
      { defaultNamespace: "apps" },
    );
    assert.deepEqual([...model.namespaces.keys()], ["apps", "web"]);
    assert.equal(model.get("rbac.authorization.k8s.io/ClusterRole", null, "reader")?.namespace, null);
    assert.equal(model.get("rbac.authorization.k8s.io/ClusterRole", "web", "reader")?.res.name, "reader");
  });
});

describe("buildModel: services, workloads and selectors", () => {
  const { model, findings } = modelFromYaml(
    {
      "services.yaml": [
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: web, namespace: shop}",
        "spec:",
        "  selector: {app: web}",
        "  ports: [{name: grpc, port: 50051, targetPort: grpc-port, appProtocol: grpc}]",
        "---",
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: external, namespace: shop}",
        "spec: {type: ExternalName, externalName: api.example.com, selector: {app: web}}",
        "---",
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: manual, namespace: shop}",
        "spec: {selector: {}, ports: [{port: 80}]}",
        "---",
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: broken, namespace: shop}",
        "spec: {ports: [{port: eighty}]}",
      ].join("\n"),
      "workloads.yaml": [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: web-v1, namespace: shop}",
        "spec:",
        "  selector: {matchLabels: {app: web}}",
        "  template:",
        "    metadata: {labels: {app: web, version: v1}}",
        "    spec: {serviceAccount: legacy-sa}",
        "---",
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata: {name: agent, namespace: shop}",
        "spec:",
        "  selector: {matchLabels: {app: agent}}",
        "  template:",
        "    metadata: {labels: {app: agent}}",
        "    spec: {}",
        "---",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: web-debug, namespace: shop, labels: {app: web, version: debug}}",
        "spec: {serviceAccountName: debugger}",
        "---",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: web-elsewhere, namespace: other, labels: {app: web}}",
        "spec: {}",
      ].join("\n"),
    },
    { clusterDomain: "corp.internal" },
  );

  it("reports the invalid Service and leaves it out of the model", () => {
    assert.deepEqual(findings.map((f) => [f.code, f.path]), [["MP0010", "spec.ports[0].port"]]);
    assert.equal(model.services.has("broken.shop.svc.corp.internal"), false);
  });

  it("builds FQDNs with the configured cluster domain", () => {
    assert.deepEqual([...model.services.keys()], [
      "web.shop.svc.corp.internal",
      "external.shop.svc.corp.internal",
      "manual.shop.svc.corp.internal",
    ]);
  });

  it("selects Deployments and Pods of the Service's namespace whose labels include the selector", () => {
    const web = model.services.get("web.shop.svc.corp.internal")!;
    assert.deepEqual(web.workloads.map((w) => `${w.kind}/${w.name}`), ["Deployment/web-v1", "Pod/web-debug"]);
    // The deprecated serviceAccount field still names the account when serviceAccountName is unset.
    assert.deepEqual(web.serviceAccounts, ["debugger", "legacy-sa"]);
    assert.deepEqual(web.ports, [{ name: "grpc", port: 50051, targetPort: "grpc-port", protocol: "TCP", appProtocol: "grpc" }]);
  });

  it("gives an ExternalName Service no workloads", () => {
    const external = model.services.get("external.shop.svc.corp.internal")!;
    assert.equal(external.type, "ExternalName");
    assert.equal(external.externalName, "api.example.com");
    assert.deepEqual(external.workloads, []);
  });

  it("treats an empty selector as no selector", () => {
    const manual = model.services.get("manual.shop.svc.corp.internal")!;
    assert.equal(manual.selector, null);
    assert.deepEqual(manual.workloads, []);
  });

  it("runs workloads as the default service account when none is named", () => {
    const agent = model.workloads.find((w) => w.name === "agent")!;
    assert.equal(agent.serviceAccount, "default");
    assert.deepEqual(agent.labels, { app: "agent" });
  });

  const matching: { namespace: string | null; selector: Labels; names: string[] }[] = [
    { namespace: "shop", selector: { app: "web" }, names: ["web-debug", "web-v1"] },
    { namespace: "shop", selector: { app: "web", version: "v1" }, names: ["web-v1"] },
    { namespace: "shop", selector: { app: "web", version: "v9" }, names: [] },
    { namespace: "shop", selector: {}, names: ["agent", "web-debug", "web-v1"] },
    { namespace: "other", selector: { app: "web" }, names: ["web-elsewhere"] },
    { namespace: null, selector: { app: "web" }, names: ["web-debug", "web-elsewhere", "web-v1"] },
    { namespace: "missing", selector: {}, names: [] },
  ];
  for (const c of matching) {
    it(`workloadsMatching(${c.namespace}, ${JSON.stringify(c.selector)}) finds ${c.names.join(", ") || "nothing"}`, () => {
      assert.deepEqual(workloadNames(model.workloadsMatching(c.namespace, c.selector)), c.names);
    });
  }
});
