import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { destinationHostNotFound } from "../../../../src/lint/rules/virtual-service/destination-host-not-found.js";
import { lintCorpus, lintYaml, located, service } from "./lint-virtual-services.js";

const vs = (name: string, namespace: string, host: string, extra = "") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${name}]${extra}
  http:
  - route: [{ destination: { host: "${host}" } }]
`;

const serviceEntry = (name: string, namespace: string, hosts: string[], exportTo?: string[]) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${hosts.map((h) => `"${h}"`).join(", ")}]${exportTo ? `\n  exportTo: [${exportTo.map((e) => `"${e}"`).join(", ")}]` : ""}
  ports: [{ number: 443, name: https, protocol: HTTPS }]
`;

describe("MP1001 destination host not found", () => {
  const cases: { name: string; files: Record<string, string>; reported: boolean }[] = [
    { name: "a short name of a Service in the VirtualService's namespace is found", files: { "a.yaml": service("reviews", "shop", [9080]), "b.yaml": vs("r", "shop", "reviews") }, reported: false },
    { name: "a short name resolves in the VirtualService's namespace, not the Service's", files: { "a.yaml": service("reviews", "shop", [9080]), "b.yaml": vs("r", "web", "reviews") }, reported: true },
    { name: "a fully qualified Service host in another namespace is found", files: { "a.yaml": service("reviews", "shop", [9080]), "b.yaml": vs("r", "web", "reviews.shop.svc.cluster.local") }, reported: false },
    { name: "`reviews.shop` is taken as written and matches no Service", files: { "a.yaml": service("reviews", "shop", [9080]), "b.yaml": vs("r", "web", "reviews.shop") }, reported: true },
    { name: "a ServiceEntry host is found", files: { "a.yaml": serviceEntry("api", "shop", ["api.example.com"]), "b.yaml": vs("r", "web", "api.example.com") }, reported: false },
    { name: "a host under a wildcard ServiceEntry is found", files: { "a.yaml": serviceEntry("eu", "shop", ["*.eu.example.com"]), "b.yaml": vs("r", "shop", "books.eu.example.com") }, reported: false },
    { name: "a wildcard ServiceEntry does not cover the bare domain", files: { "a.yaml": serviceEntry("eu", "shop", ["*.eu.example.com"]), "b.yaml": vs("r", "shop", "eu.example.com") }, reported: true },
    { name: "a ServiceEntry exported to its own namespace is not visible elsewhere", files: { "a.yaml": serviceEntry("api", "other", ["api.example.com"], ["."]), "b.yaml": vs("r", "shop", "api.example.com") }, reported: true },
    { name: "a ServiceEntry exported to the VirtualService's namespace is visible", files: { "a.yaml": serviceEntry("api", "other", ["api.example.com"], ["shop"]), "b.yaml": vs("r", "shop", "api.example.com") }, reported: false },
    {
      name: "a Service exported by annotation to other namespaces is not visible to this one",
      files: { "a.yaml": service("details", "default", [9080], { "networking.istio.io/exportTo": "banana" }), "b.yaml": vs("d", "istio-system", "details.default.svc.cluster.local") },
      reported: true,
    },
    {
      name: "a Service exported by annotation to the VirtualService's namespace is visible",
      files: { "a.yaml": service("details", "default", [9080], { "networking.istio.io/exportTo": "banana,." }), "b.yaml": vs("d", "banana", "details.default.svc.cluster.local") },
      reported: false,
    },
    {
      name: "a VirtualService exported only to namespaces that cannot see the host is reported",
      files: { "a.yaml": service("hello", "hello", [9080], { "networking.istio.io/exportTo": "." }), "b.yaml": vs("h", "hello", "hello", "\n  exportTo: [bogus]") },
      reported: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = lintYaml(destinationHostNotFound, c.files);
      assert.equal(findings.length, c.reported ? 1 : 0, JSON.stringify(findings, null, 1));
      if (c.reported) {
        assert.equal(findings[0]!.path, "spec.http[0].route[0].destination.host");
        assert.deepEqual(findings[0]!.equivalents, ["IST0101"]);
      }
    });
  }

  it("reports a mirror to an unknown host at the mirror's host, and an entry without destination", () => {
    const findings = lintYaml(destinationHostNotFound, {
      "s.yaml": service("reviews", "default", [9080]),
      "vs.yaml": `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route: [{}, { destination: { host: reviews } }]
    mirror: { host: reviews-shadow }
    mirrors: [{ destination: { host: reviews-copy } }]
  tcp:
  - route: [{ destination: { host: reviews-tcp } }]
`,
    });
    assert.deepEqual(located(findings).sort(), [
      "reviews spec.http[0].mirror.host",
      "reviews spec.http[0].mirrors[0].destination.host",
      "reviews spec.http[0].route[0].destination",
      "reviews spec.tcp[0].route[0].destination.host",
    ]);
  });

  it("accepts hosts on the externalHosts allow-list, wildcards included", () => {
    const files = { "vs.yaml": vs("r", "shop", "storage.googleapis.com") + "---\n" + vs("p", "shop", "payments.billing.svc.cluster.local") };
    assert.equal(lintYaml(destinationHostNotFound, files).length, 2);
    assert.deepEqual(lintYaml(destinationHostNotFound, files, { externalHosts: ["*.googleapis.com", "payments.billing.svc.cluster.local"] }), []);
  });

  it("finds every bookinfo destination in the bookinfo Services", () => {
    assert.deepEqual(
      lintCorpus(destinationHostNotFound, ["bookinfo/platform/kube/bookinfo.yaml", "bookinfo/networking/virtual-service-all-v1.yaml", "bookinfo/networking/bookinfo-gateway.yaml"]),
      [],
    );
  });

  it("reports bookinfo's cert-manager route, whose resolver Service is not in the tree", () => {
    const findings = lintCorpus(destinationHostNotFound, ["bookinfo/networking/certmanager-gateway.yaml"]);
    assert.deepEqual(located(findings), ["cert-manager spec.http[0].route[0].destination.host"]);
    assert.match(findings[0]!.message, /cert-manager-resolver\.istio-system\.svc\.cluster\.local/);
  });
});
