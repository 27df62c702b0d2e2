import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPackPolicy, findingsOf, OWNED } from "./default-pack-policy.js";

const shipped = defaultPackPolicy("egress-allow-list");
const approved = defaultPackPolicy("egress-allow-list", { allowedHosts: ["api.stripe.com", "*.googleapis.com"] });

const serviceEntry = (hosts: string, location = "MESH_EXTERNAL") => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: external
  namespace: shop
${OWNED}spec:
  hosts: ${hosts}
  location: ${location}
  ports: [{ number: 443, name: https, protocol: TLS }]
  resolution: DNS
`;

const osmEgress = (hosts: string) => `apiVersion: policy.openservicemesh.io/v1alpha1
kind: Egress
metadata:
  name: external
  namespace: shop
${OWNED}spec:
  sources: [{ kind: ServiceAccount, name: shop, namespace: shop }]
  hosts: ${hosts}
  ports: [{ number: 443, protocol: https }]
`;

describe("default pack: egress-allow-list", () => {
  it("ships with an empty allow-list: no egress until hosts are approved", () => {
    assert.deepEqual(shipped.params, { allowedHosts: [] });
    assert.deepEqual(findingsOf(shipped, { "se.yaml": serviceEntry("[api.stripe.com]") }).map((f) => f.severity), ["error"]);
  });

  it("passes ServiceEntry hosts that are listed exactly or under a `*.domain` entry", () => {
    assert.deepEqual(findingsOf(approved, { "se.yaml": serviceEntry("[api.stripe.com, storage.googleapis.com, '*.googleapis.com']") }), []);
  });

  it("fails hosts that are not listed, naming them, at spec.hosts", () => {
    const findings = findingsOf(approved, { "se.yaml": serviceEntry("[api.stripe.com, evil.example.com, googleapis.com]") });
    assert.deepEqual(
      findings.map((f) => [f.path, f.message]),
      [["spec.hosts", "egress to host(s) not on the allow-list: evil.example.com, googleapis.com"]],
    );
  });

  it("leaves MESH_INTERNAL ServiceEntries alone: they describe services inside the mesh", () => {
    assert.deepEqual(findingsOf(shipped, { "se.yaml": serviceEntry("[legacy.internal]", "MESH_INTERNAL") }), []);
  });

  it("checks OSM Egress hosts", () => {
    assert.deepEqual(findingsOf(approved, { "egress.yaml": osmEgress("[api.stripe.com]") }), []);
    assert.deepEqual(
      findingsOf(approved, { "egress.yaml": osmEgress("[github.com]") }).map((f) => f.message),
      ["egress to host(s) not on the allow-list: github.com"],
    );
  });
});
