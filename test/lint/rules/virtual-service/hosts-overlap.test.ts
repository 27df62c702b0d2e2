import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostsOverlap } from "../../../../src/lint/rules/virtual-service/hosts-overlap.js";

describe("Istio host name overlap (host.Name.Matches)", () => {
  const cases: [string, string, boolean][] = [
    ["example.com", "example.com", true],
    ["example.com", "www.example.com", false],
    ["*.example.com", "www.example.com", true],
    ["*.example.com", "a.b.example.com", true],
    ["*.example.com", "example.com", false],
    ["*", "anything.org", true],
    ["*.example.com", "*.com", true],
    ["*.productpage.b", "*.productpage", false],
    ["Web.Example.com", "web.example.COM", true],
  ];
  for (const [a, b, overlap] of cases) {
    it(`${a} and ${b} ${overlap ? "overlap" : "do not overlap"}, in either order`, () => {
      assert.equal(hostsOverlap(a, b), overlap);
      assert.equal(hostsOverlap(b, a), overlap);
    });
  }
});
