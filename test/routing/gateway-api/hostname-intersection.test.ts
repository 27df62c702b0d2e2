import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hostnameIntersection } from "../../../src/routing/gateway-api/hostname-intersection.js";

// Gateway API HTTPRouteSpec.hostnames: the listener/route hostname examples of apis/v1.
describe("hostnameIntersection: which host a listener serves a route hostname on", () => {
  const cases: [string, string | null, string, string | null][] = [
    ["a listener without hostname accepts any route hostname", null, "foo.example.com", "foo.example.com"],
    ["test.example.com accepts test.example.com", "test.example.com", "test.example.com", "test.example.com"],
    ["test.example.com accepts *.example.com, serving test.example.com", "test.example.com", "*.example.com", "test.example.com"],
    ["*.example.com accepts test.example.com", "*.example.com", "test.example.com", "test.example.com"],
    ["*.example.com accepts foo.test.example.com", "*.example.com", "foo.test.example.com", "foo.test.example.com"],
    ["*.example.com accepts *.example.com", "*.example.com", "*.example.com", "*.example.com"],
    ["*.example.com does not accept example.com", "*.example.com", "example.com", null],
    ["*.example.com does not accept test.example.net", "*.example.com", "test.example.net", null],
    ["test.example.com does not accept other.example.com", "test.example.com", "other.example.com", null],
    ["hostnames compare case-insensitively", "Test.Example.com", "TEST.example.COM", "test.example.com"],
  ];
  for (const [name, listener, route, expected] of cases) it(name, () => assert.equal(hostnameIntersection(listener, route), expected));
});
