import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mutualTlsToMtlsDisabled as rule } from "../../../../src/lint/rules/istio-gateway/mutual-tls-to-mtls-disabled.js";
import { lintYaml, subjects } from "./lint-tree.js";
import { destinationRule, peerAuthentication, reviewsApp } from "./mtls-manifests.js";

const mutual = destinationRule("  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }");

describe("MP1051 DestinationRule sends mutual TLS to a workload with mTLS disabled", () => {
  it("reports ISTIO_MUTUAL towards a namespace-wide DISABLE policy (Kiali KIA0505)", () => {
    const findings = lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": mutual, "pa.yaml": peerAuthentication("default", "shop", "  mtls: { mode: DISABLE }") });
    assert.deepEqual(subjects(findings), ["DestinationRule shop/reviews spec.trafficPolicy.tls.mode"]);
    assert.equal(findings[0]!.severity, "error");
    assert.deepEqual(findings[0]!.equivalents, ["KIA0505", "KIA0506"]);
    assert.match(findings[0]!.message, /has mTLS disabled: Deployment shop\/reviews-v1/);
  });

  it("reports ISTIO_MUTUAL towards a port DISABLEd by a workload policy, through a named target port", () => {
    const pa = peerAuthentication("reviews", "shop", "  selector: { matchLabels: { app: reviews } }\n  portLevelMtls: { 7070: { mode: DISABLE } }");
    const findings = lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": mutual, "pa.yaml": pa });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /reviews:9090 -> 7070, PeerAuthentication shop\/reviews port 7070: DISABLE/);
  });

  const quiet: { name: string; pa: string; app?: string }[] = [
    { name: "a PERMISSIVE destination", pa: peerAuthentication("default", "shop", "  mtls: { mode: PERMISSIVE }") },
    { name: "a STRICT destination", pa: peerAuthentication("default", "istio-system", "  mtls: { mode: STRICT }") },
    {
      name: "a destination in ambient mode, where DISABLE policies do not apply",
      pa: peerAuthentication("default", "shop", "  mtls: { mode: DISABLE }"),
      app: reviewsApp.replace("{ istio-injection: enabled }", "{ istio.io/dataplane-mode: ambient }"),
    },
  ];
  for (const c of quiet) {
    it(`does not report ${c.name}`, () => {
      assert.deepEqual(lintYaml(rule, { "app.yaml": c.app ?? reviewsApp, "dr.yaml": mutual, "pa.yaml": c.pa }), []);
    });
  }
});
