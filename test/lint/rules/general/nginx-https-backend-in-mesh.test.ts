/**
 * MP1104: ingress-nginx TLS to mesh workloads. OSM docs, "Ingress with
 * Kubernetes Nginx Ingress Controller", "HTTPS Ingress (mTLS and TLS)": HTTPS
 * from the ingress needs proxy-ssl-secret with the client certificate OSM
 * issues (or an IngressBackend skipping client certificate validation).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nginxHttpsBackendInMesh } from "../../../../src/lint/rules/general/nginx-https-backend-in-mesh.js";
import { corpusPath } from "../../../support/corpus.js";
import { lineOf, lint } from "./lint.js";

const osmDocsHttps = "osm/docs-extracted/demos__ingress_k8s_nginx/L142-185_Ingress-httpbin_IngressBackend-httpbin.yaml";

function namespace(labels: Record<string, string>): string {
  const l = Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"\n`).join("");
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: httpbin\n${l ? `  labels:\n${l}` : ""}`;
}

function ingress(annotations: Record<string, string>, extra = ""): string {
  const a = Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"\n`).join("");
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: httpbin
  namespace: httpbin
${a ? `  annotations:\n${a}` : ""}spec:
  ingressClassName: nginx
  rules:
  - host: httpbin.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: httpbin
            port:
              number: 14001
${extra}`;
}

const https = { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" };
const osm = { "openservicemesh.io/monitored-by": "osm" };
const istio = { "istio-injection": "enabled" };

function skipValidation(skip: boolean): string {
  return `---
apiVersion: policy.openservicemesh.io/v1alpha1
kind: IngressBackend
metadata: {name: httpbin, namespace: httpbin}
spec:
  backends:
  - name: httpbin
    port: {number: 14001, protocol: https}
    tls: {skipClientCertValidation: ${skip}}
  sources:
  - {kind: Service, name: ingress-nginx-controller, namespace: ingress-nginx}
`;
}

describe("ingress-nginx sending its own TLS to mesh workloads (MP1104)", () => {
  it("reports HTTPS to an OSM-monitored namespace without proxy-ssl-secret, at the annotation", () => {
    const ing = ingress(https);
    const findings = lint(nginxHttpsBackendInMesh, { "ns.yaml": namespace(osm), "ing.yaml": ing });
    assert.deepEqual(
      findings.map((f) => [f.path, f.line, f.severity]),
      [["metadata.annotations.nginx.ingress.kubernetes.io/backend-protocol", lineOf(ing, "backend-protocol"), "error"]],
    );
    assert.match(findings[0]!.message, /Service httpbin\/httpbin/);
    assert.match(findings[0]!.message, /monitored by OSM/);
    assert.match(findings[0]!.hint ?? "", /proxy-ssl-secret/);
  });

  it("reports GRPCS (any case) to an Istio-injected namespace", () => {
    const findings = lint(nginxHttpsBackendInMesh, {
      "ns.yaml": namespace(istio),
      "ing.yaml": ingress({ "nginx.ingress.kubernetes.io/backend-protocol": "grpcs" }),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /GRPCS.*Istio-injected/);
  });

  it("reports the OSM docs' HTTPS Ingress once its proxy-ssl-secret is removed", () => {
    const docs = readFileSync(corpusPath(osmDocsHttps), "utf8");
    const withoutSecret = docs.replace(/^ {4}nginx\.ingress\.kubernetes\.io\/proxy-ssl-secret:.*\n/m, "");
    assert.notEqual(withoutSecret, docs);
    const findings = lint(nginxHttpsBackendInMesh, { "ns.yaml": namespace(osm), "docs.yaml": withoutSecret });
    assert.deepEqual(
      findings.map((f) => f.resource?.name),
      ["httpbin"],
    );
  });

  const accepted: [string, Record<string, string>][] = [
    ["the OSM docs' HTTPS Ingress with proxy-ssl-secret", { "ns.yaml": namespace(osm), "docs.yaml": readFileSync(corpusPath(osmDocsHttps), "utf8") }],
    ["HTTPS to a namespace outside any mesh", { "ns.yaml": namespace({}), "ing.yaml": ingress(https) }],
    ["HTTPS to a namespace the tree does not declare", { "ing.yaml": ingress(https) }],
    ["plain HTTP to a mesh namespace", { "ns.yaml": namespace(osm), "ing.yaml": ingress({ "nginx.ingress.kubernetes.io/backend-protocol": "HTTP" }) }],
    ["an Istio namespace with injection disabled", { "ns.yaml": namespace({ "istio-injection": "disabled", "istio.io/rev": "canary" }), "ing.yaml": ingress(https) }],
    [
      "an Ingress of another controller, which ignores nginx annotations",
      {
        "ns.yaml": namespace(osm),
        "class.yaml": "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: example.com/other-ingress}\n",
        "ing.yaml": ingress(https),
      },
    ],
    ["an OSM IngressBackend that skips client certificate validation", { "ns.yaml": namespace(osm), "ing.yaml": ingress(https, skipValidation(true)) }],
  ];
  for (const [name, files] of accepted) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lint(nginxHttpsBackendInMesh, files), []);
    });
  }

  it("still reports when the OSM IngressBackend validates client certificates", () => {
    assert.equal(lint(nginxHttpsBackendInMesh, { "ns.yaml": namespace(osm), "ing.yaml": ingress(https, skipValidation(false)) }).length, 1);
  });

  it("reads the removed extensions/v1beta1 Ingress shape too", () => {
    const legacy = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
  namespace: httpbin
  annotations: {nginx.ingress.kubernetes.io/backend-protocol: HTTPS}
spec:
  backend: {serviceName: httpbin, servicePort: 14001}
`;
    const findings = lint(nginxHttpsBackendInMesh, { "ns.yaml": namespace(istio), "ing.yaml": legacy });
    assert.deepEqual(
      findings.map((f) => f.resource?.name),
      ["legacy"],
    );
  });
});
