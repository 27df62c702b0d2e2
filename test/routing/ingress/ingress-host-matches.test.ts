import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ingressHostMatches } from "../../../src/routing/ingress/ingress-host-matches.js";

// networking.k8s.io/v1 IngressRule.host: "*.foo.com" matches "bar.foo.com" but not "baz.bar.foo.com" or "foo.com".
describe("ingressHostMatches: Ingress wildcards cover exactly one DNS label", () => {
  const cases: [string, string, boolean][] = [
    ["*.foo.com", "bar.foo.com", true],
    ["*.foo.com", "baz.bar.foo.com", false],
    ["*.foo.com", "foo.com", false],
    ["foo.bar.com", "foo.bar.com", true],
    ["foo.bar.com", "Foo.Bar.com", true],
    ["foo.bar.com", "bar.com", false],
    ["*", "anything.example", true],
  ];
  for (const [pattern, host, expected] of cases)
    it(`${pattern} ${expected ? "matches" : "does not match"} ${host}`, () => assert.equal(ingressHostMatches(pattern, host), expected));
});
