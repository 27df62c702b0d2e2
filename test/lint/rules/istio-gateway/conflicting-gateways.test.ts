import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conflictingGateways as rule } from "../../../../src/lint/rules/istio-gateway/conflicting-gateways.js";
import { lintCorpus, lintYaml, subjects } from "./lint-tree.js";

interface Server {
  port: number;
  hosts: string[];
  bind?: string;
}

function gateway(name: string, selector: string, servers: Server[], namespace = "edge"): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: ${selector}
  servers:
${servers
  .map(
    (s, i) =>
      `  - port: { number: ${s.port}, name: p${i}, protocol: HTTP }\n    hosts: [${s.hosts.map((h) => `"${h}"`).join(", ")}]` +
      (s.bind ? `\n    bind: ${s.bind}` : ""),
  )
  .join("\n")}
`;
}

const ingress = "{ istio: ingressgateway }";

describe("MP1042 conflicting gateways (istioctl ConflictingGatewayAnalyzer, IST0145)", () => {
  it("reports both Gateways that serve foo.bar on port 80 of the same workload (conflicting-gateways.yaml)", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/conflicting-gateways.yaml"]);
    assert.deepEqual(subjects(findings), ["Gateway -/alpha spec.servers[0]", "Gateway -/beta spec.servers[0]"]);
    const alpha = findings.find((f) => f.resource?.name === "alpha")!;
    assert.equal(alpha.severity, "error");
    assert.deepEqual(alpha.equivalents, ["IST0145"]);
    assert.match(alpha.message, /conflicts with default\/beta: same workload \(selector istio=ingressgateway\), port 80, hosts foo\.bar/);
  });

  it("reports only the server on the shared port (conflicting-gateways-multiple-ports.yaml)", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/conflicting-gateways-multiple-ports.yaml"]);
    assert.deepEqual(subjects(findings), ["Gateway -/alpha spec.servers[1]", "Gateway -/beta spec.servers[1]"]);
  });

  const quiet: { name: string; files: Record<string, string> }[] = [
    {
      name: "different ports",
      files: { "a.yaml": gateway("a", ingress, [{ port: 80, hosts: ["foo.bar"] }]), "b.yaml": gateway("b", ingress, [{ port: 443, hosts: ["foo.bar"] }]) },
    },
    {
      name: "different hosts",
      files: { "a.yaml": gateway("a", ingress, [{ port: 80, hosts: ["a.example.com"] }]), "b.yaml": gateway("b", ingress, [{ port: 80, hosts: ["b.example.com"] }]) },
    },
    {
      name: "different bind addresses",
      files: {
        "a.yaml": gateway("a", ingress, [{ port: 80, hosts: ["foo.bar"], bind: "10.0.0.1" }]),
        "b.yaml": gateway("b", ingress, [{ port: 80, hosts: ["foo.bar"], bind: "10.0.0.2" }]),
      },
    },
    {
      name: "different workloads",
      files: { "a.yaml": gateway("a", ingress, [{ port: 80, hosts: ["foo.bar"] }]), "b.yaml": gateway("b", "{ istio: internal }", [{ port: 80, hosts: ["foo.bar"] }]) },
    },
    {
      name: "a sub-selector with no pod matching both selectors",
      files: {
        "a.yaml": gateway("a", "{ istio: ingressgateway, tier: edge }", [{ port: 80, hosts: ["foo.bar"] }]),
        "b.yaml": gateway("b", ingress, [{ port: 80, hosts: ["foo.bar"] }]),
      },
    },
    {
      name: "a wildcard and a host (hosts compare as written)",
      files: { "a.yaml": gateway("a", ingress, [{ port: 80, hosts: ["*"] }]), "b.yaml": gateway("b", ingress, [{ port: 80, hosts: ["foo.bar"] }]) },
    },
  ];
  for (const c of quiet) {
    it(`does not report Gateways with ${c.name}`, () => {
      assert.deepEqual(lintYaml(rule, c.files), []);
    });
  }

  it("reports a sub-selector when a pod matches both selectors (conflicting-gateways-subSelector.yaml)", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/conflicting-gateways-subSelector.yaml"]);
    assert.deepEqual(subjects(findings), ["Gateway -/alpha spec.servers[0]", "Gateway -/beta spec.servers[0]"]);
  });

  it("compares Gateways across namespaces: a selector picks gateway pods cluster-wide", () => {
    const findings = lintYaml(rule, {
      "a.yaml": gateway("a", ingress, [{ port: 443, hosts: ["shop.example.com"] }], "shop"),
      "b.yaml": gateway("b", ingress, [{ port: 443, hosts: ["shop.example.com", "blog.example.com"] }], "blog"),
    });
    assert.deepEqual(subjects(findings), ["Gateway blog/b spec.servers[0]", "Gateway shop/a spec.servers[0]"]);
    assert.match(findings.find((f) => f.resource?.name === "a")!.message, /conflicts with blog\/b/);
  });

  it("sees a clash with any server of the other Gateway on the port, not only its last one", () => {
    const findings = lintYaml(rule, {
      "a.yaml": gateway("a", ingress, [
        { port: 443, hosts: ["shop.example.com"] },
        { port: 443, hosts: ["admin.example.com"] },
      ]),
      "b.yaml": gateway("b", ingress, [{ port: 443, hosts: ["shop.example.com"] }]),
    });
    assert.deepEqual(subjects(findings), ["Gateway edge/a spec.servers[0]", "Gateway edge/b spec.servers[0]"]);
  });

  it("reports each Gateway of a kind: List document (analyze-list-type.yaml)", () => {
    const findings = lintCorpus(rule, ["istio-analyzers/testdata/analyze-list-type.yaml"]);
    assert.deepEqual(subjects(findings), ["Gateway -/alpha spec.servers[0]", "Gateway -/alpha-l spec.servers[0]", "Gateway -/beta-l spec.servers[0]"]);
    assert.match(findings.find((f) => f.resource?.name === "alpha")!.message, /conflicts with default\/alpha-l, default\/beta-l/);
  });
});
