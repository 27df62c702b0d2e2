import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plaintextToStrictMtls as rule } from "../../../../src/lint/rules/istio-gateway/plaintext-to-strict-mtls.js";
import { lintYaml } from "./lint-tree.js";
import { destinationRule, peerAuthentication, reviewsApp } from "./mtls-manifests.js";

const strictNamespace = peerAuthentication("default", "shop", "  mtls: { mode: STRICT }");
const strictMesh = peerAuthentication("default", "istio-system", "  mtls: { mode: STRICT }");

interface Case {
  name: string;
  policies: string[];
  rule: string;
  /** Paths of the findings, sorted; [] for none. */
  expected: string[];
}

const cases: Case[] = [
  {
    name: "DISABLE towards a namespace-wide STRICT policy (Kiali KIA0207)",
    policies: [strictNamespace],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
  {
    name: "SIMPLE towards a mesh-wide STRICT policy in istio-system (Kiali KIA0208)",
    policies: [strictMesh],
    rule: "  trafficPolicy: { tls: { mode: SIMPLE } }",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
  {
    name: "a tls block without mode, which is DISABLE",
    policies: [strictNamespace],
    rule: "  trafficPolicy: { tls: { sni: reviews.example.com } }",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
  { name: "no tls block: auto mTLS", policies: [strictNamespace], rule: "  trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } }", expected: [] },
  { name: "ISTIO_MUTUAL towards STRICT", policies: [strictNamespace], rule: "  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }", expected: [] },
  {
    name: "DISABLE towards PERMISSIVE",
    policies: [peerAuthentication("default", "shop", "  mtls: { mode: PERMISSIVE }")],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: [],
  },
  {
    name: "DISABLE where a workload policy makes both versions PERMISSIVE over the namespace's STRICT",
    policies: [strictNamespace, peerAuthentication("reviews", "shop", "  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: PERMISSIVE }")],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: [],
  },
  {
    name: "DISABLE where the namespace policy is UNSET and inherits the mesh's STRICT",
    policies: [strictMesh, peerAuthentication("default", "shop", "  mtls: { mode: UNSET }")],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
  {
    name: "a selector policy in the root namespace, which applies to nothing",
    policies: [peerAuthentication("reviews", "istio-system", "  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: STRICT }")],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: [],
  },
  {
    name: "a port-level DISABLE for service port 9080 towards STRICT",
    policies: [strictNamespace],
    rule: "  trafficPolicy:\n    portLevelSettings: [{ port: { number: 9080 }, tls: { mode: DISABLE } }]",
    expected: ["spec.trafficPolicy.portLevelSettings[0].tls.mode"],
  },
  {
    name: "a top-level DISABLE overridden for every port by port-level settings without tls",
    policies: [strictNamespace],
    rule:
      "  trafficPolicy:\n    tls: { mode: DISABLE }\n    portLevelSettings:\n" +
      "    - { port: { number: 9080 }, loadBalancer: { simple: ROUND_ROBIN } }\n    - { port: { number: 9090 }, loadBalancer: { simple: ROUND_ROBIN } }",
    expected: [],
  },
  {
    name: "DISABLE where the workload policy leaves pod port 8080 (service port 9080) PERMISSIVE",
    policies: [
      peerAuthentication(
        "reviews",
        "shop",
        "  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: STRICT }\n  portLevelMtls: { 8080: { mode: PERMISSIVE } }",
      ),
    ],
    rule: "  trafficPolicy:\n    portLevelSettings: [{ port: { number: 9080 }, tls: { mode: DISABLE } }]",
    expected: [],
  },
  {
    name: "DISABLE for the grpc port, whose named target port resolves to 7070, STRICT only there",
    policies: [peerAuthentication("reviews", "shop", "  selector: { matchLabels: { app: reviews } }\n  portLevelMtls: { 7070: { mode: STRICT } }")],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
  {
    name: "a subset's DISABLE towards the only version a workload policy makes STRICT",
    policies: [peerAuthentication("reviews-v2", "shop", "  selector: { matchLabels: { version: v2 } }\n  mtls: { mode: STRICT }")],
    rule:
      "  subsets:\n  - { name: v1, labels: { version: v1 }, trafficPolicy: { tls: { mode: DISABLE } } }\n" +
      "  - { name: v2, labels: { version: v2 }, trafficPolicy: { tls: { mode: DISABLE } } }",
    expected: ["spec.subsets[1].trafficPolicy.tls.mode"],
  },
  {
    name: "a subset inheriting the top-level DISABLE (reported once, at the top level)",
    policies: [strictNamespace],
    rule: "  trafficPolicy: { tls: { mode: DISABLE } }\n  subsets: [{ name: v1, labels: { version: v1 } }]",
    expected: ["spec.trafficPolicy.tls.mode"],
  },
];

describe("MP1050 DestinationRule sends plaintext to a STRICT mTLS workload", () => {
  for (const c of cases) {
    it(`${c.expected.length ? "reports" : "does not report"} ${c.name}`, () => {
      const files: Record<string, string> = { "app.yaml": reviewsApp, "dr.yaml": destinationRule(c.rule) };
      c.policies.forEach((p, i) => (files[`pa-${i}.yaml`] = p));
      const findings = lintYaml(rule, files);
      assert.deepEqual(findings.map((f) => f.path).sort(), c.expected);
      for (const f of findings) {
        assert.equal(f.severity, "error");
        assert.deepEqual(f.equivalents, ["KIA0207", "KIA0208"]);
      }
    });
  }

  it("names the workloads and the PeerAuthentication that decides", () => {
    const [f] = lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": destinationRule("  trafficPolicy: { tls: { mode: DISABLE } }"), "pa.yaml": strictNamespace });
    assert.match(f!.message, /DestinationRule shop\/reviews sets tls.mode DISABLE/);
    assert.match(f!.message, /Deployment shop\/reviews-v1 \(reviews:9080 -> 8080, PeerAuthentication shop\/default: STRICT\)/);
  });

  it("skips workloads that opt out of sidecar injection: nothing enforces STRICT there", () => {
    const app = reviewsApp.replaceAll("labels: { app: reviews, version: v1 }", 'labels: { app: reviews, version: v1, sidecar.istio.io/inject: "false" }')
      .replaceAll("labels: { app: reviews, version: v2 }", 'labels: { app: reviews, version: v2, sidecar.istio.io/inject: "false" }');
    assert.deepEqual(lintYaml(rule, { "app.yaml": app, "dr.yaml": destinationRule("  trafficPolicy: { tls: { mode: DISABLE } }"), "pa.yaml": strictNamespace }), []);
  });

  it("ignores a DestinationRule Istio does not apply: a later one for the same host in the namespace loses the merge", () => {
    const first = destinationRule("  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }", "reviews-a");
    const second = destinationRule("  trafficPolicy: { tls: { mode: DISABLE } }", "reviews-b");
    assert.deepEqual(lintYaml(rule, { "app.yaml": reviewsApp, "a.yaml": first, "b.yaml": second, "pa.yaml": strictNamespace }), []);
  });

  it("takes the oldest of two namespace-wide policies, as pilot does", () => {
    const policy = (name: string, mode: string, created: string) =>
      `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: ${name}, namespace: shop, creationTimestamp: "${created}" }\nspec: { mtls: { mode: ${mode} } }\n`;
    const dr = destinationRule("  trafficPolicy: { tls: { mode: DISABLE } }");
    const olderStrict = { "a.yaml": policy("a", "PERMISSIVE", "2024-05-02T00:00:00Z"), "b.yaml": policy("b", "STRICT", "2024-05-01T00:00:00Z") };
    const olderPermissive = { "a.yaml": policy("a", "PERMISSIVE", "2024-05-01T00:00:00Z"), "b.yaml": policy("b", "STRICT", "2024-05-02T00:00:00Z") };
    assert.equal(lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": dr, ...olderStrict }).length, 1);
    assert.deepEqual(lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": dr, ...olderPermissive }), []);
  });

  it("checks every service a wildcard host covers", () => {
    const wildcard = destinationRule("  trafficPolicy: { tls: { mode: DISABLE } }").replace("host: reviews.shop.svc.cluster.local", 'host: "*.shop.svc.cluster.local"');
    assert.equal(lintYaml(rule, { "app.yaml": reviewsApp, "dr.yaml": wildcard, "pa.yaml": strictNamespace }).length, 1);
  });
});
