/**
 * MP1101: Gateway API listener distinctness (apis/v1 GatewaySpec.listeners,
 * ListenerConditionConflicted with HostnameConflict / ProtocolConflict, and
 * the v1 CRD rule "Combination of port, protocol and hostname must be unique
 * for each listener").
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { gatewayListenerConflict } from "../../../../src/lint/rules/general/gateway-listener-conflict.js";
import { corpusFiles } from "../../../support/model.js";
import { lineOf, lint } from "./lint.js";

type L = { name: string; protocol: string; port: number; hostname?: string };

function gateway(listeners: L[]): string {
  const items = listeners
    .map((l) => `  - name: ${l.name}\n    protocol: ${l.protocol}\n    port: ${l.port}\n${l.hostname ? `    hostname: "${l.hostname}"\n` : ""}`)
    .join("");
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\n  namespace: infra\nspec:\n  gatewayClassName: istio\n  listeners:\n${items}`;
}

describe("Gateway listeners that cannot be told apart (MP1101)", () => {
  const cases: { name: string; listeners: L[]; conflicted: string[]; reason?: RegExp }[] = [
    {
      name: "two HTTP listeners on port 80 with the same hostname",
      listeners: [
        { name: "a", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
        { name: "b", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /HostnameConflict.*v1 CRD rejects the whole Gateway/,
    },
    {
      name: "two HTTP listeners on port 80 without a hostname",
      listeners: [
        { name: "a", protocol: "HTTP", port: 80 },
        { name: "b", protocol: "HTTP", port: 80 },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /HostnameConflict/,
    },
    {
      name: "HTTP and HTTPS sharing port 8443",
      listeners: [
        { name: "plain", protocol: "HTTP", port: 8443 },
        { name: "tls", protocol: "HTTPS", port: 8443, hostname: "shop.example.com" },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /ProtocolConflict/,
    },
    {
      name: "a TCP listener on the port of an HTTP listener",
      listeners: [
        { name: "web", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
        { name: "raw", protocol: "TCP", port: 80 },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /ProtocolConflict/,
    },
    {
      name: "two TCP listeners on one port (TCP has no hostname to tell them apart)",
      listeners: [
        { name: "db", protocol: "TCP", port: 5432 },
        { name: "db2", protocol: "TCP", port: 5432 },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /same port as/,
    },
    {
      name: "HTTPS and TLS claiming the same SNI hostname on 443",
      listeners: [
        { name: "https", protocol: "HTTPS", port: 443, hostname: "api.example.com" },
        { name: "passthrough", protocol: "TLS", port: 443, hostname: "api.example.com" },
        { name: "other", protocol: "HTTPS", port: 443, hostname: "www.example.com" },
      ],
      conflicted: ["spec.listeners[0]", "spec.listeners[1]"],
      reason: /HostnameConflict/,
    },
    {
      name: "HTTP listeners on port 80 with different hostnames",
      listeners: [
        { name: "a", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
        { name: "b", protocol: "HTTP", port: 80, hostname: "api.example.com" },
        { name: "c", protocol: "HTTP", port: 80 },
      ],
      conflicted: [],
    },
    {
      name: "HTTPS and TLS with different hostnames on 443 (compatible protocols)",
      listeners: [
        { name: "https", protocol: "HTTPS", port: 443, hostname: "www.example.com" },
        { name: "tls", protocol: "TLS", port: 443, hostname: "db.example.com" },
      ],
      conflicted: [],
    },
    {
      name: "TCP and UDP on port 53 (different transports)",
      listeners: [
        { name: "dns-tcp", protocol: "TCP", port: 53 },
        { name: "dns-udp", protocol: "UDP", port: 53 },
      ],
      conflicted: [],
    },
    {
      name: "the same hostname on different ports",
      listeners: [
        { name: "http", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
        { name: "alt", protocol: "HTTP", port: 8080, hostname: "shop.example.com" },
      ],
      conflicted: [],
    },
    {
      name: "implementation-specific protocols sharing a port",
      listeners: [
        { name: "a", protocol: "example.com/redis", port: 6379 },
        { name: "b", protocol: "HTTP", port: 6379 },
      ],
      conflicted: [],
    },
  ];
  for (const c of cases) {
    it(`${c.conflicted.length ? "reports" : "accepts"} ${c.name}`, () => {
      const findings = lint(gatewayListenerConflict, { "gw.yaml": gateway(c.listeners) });
      assert.deepEqual(
        findings.map((f) => f.path),
        c.conflicted,
      );
      for (const f of findings) {
        if (c.reason) assert.match(f.message, c.reason);
        assert.equal(f.severity, "error");
      }
    });
  }

  it("only says the CRD rejects the Gateway when port, protocol and hostname all repeat", () => {
    const findings = lint(gatewayListenerConflict, {
      "gw.yaml": gateway([
        { name: "https", protocol: "HTTPS", port: 443, hostname: "api.example.com" },
        { name: "tls", protocol: "TLS", port: 443, hostname: "api.example.com" },
      ]),
    });
    assert.equal(findings.length, 2);
    for (const f of findings) assert.doesNotMatch(f.message, /CRD rejects/);
  });

  it("points at the conflicting listener's line", () => {
    const yaml = gateway([
      { name: "a", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
      { name: "b", protocol: "HTTP", port: 80, hostname: "shop.example.com" },
    ]);
    const [, second] = lint(gatewayListenerConflict, { "gw.yaml": yaml });
    assert.equal(second?.file, "gw.yaml");
    assert.equal(second?.line, lineOf(yaml, "- name: b"));
    assert.match(second?.message ?? "", /listener "b".*as "a"/);
  });

  it("finds nothing in the Gateway API examples", () => {
    assert.deepEqual(lint(gatewayListenerConflict, corpusFiles(["gateway-api/examples"])), []);
  });
});
