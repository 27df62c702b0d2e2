import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffRouting, isEmptyRoutingDiff, type HostDiff, type RoutingDiff } from "../../src/routing/diff.js";
import type { RoutingTable } from "../../src/routing/types.js";
import { access, host, match, route, rule, table } from "../report/table-builder.js";

const jason = rule("reviews/jason", { matches: [match.header("end-user", "jason")], to: "reviews v2 100" });
const reviewsV1 = rule("reviews/all", { to: "reviews v1 100" });

function onlyHost(diff: RoutingDiff): HostDiff {
  assert.equal(diff.hosts.length, 1, `expected one changed host, got ${diff.hosts.map((h) => h.key).join(", ")}`);
  return diff.hosts[0]!;
}

/** What a reviewer reads off one host's diff, in a form a table of cases can state. */
function outline(d: HostDiff) {
  return {
    change: d.change,
    added: d.addedRules.map((r) => `${r.id}@${r.position}`),
    removed: d.removedRules.map((r) => `${r.id}@${r.position}`),
    moved: d.changedRules.filter((c) => c.moved).map((c) => `${c.id}:${c.position.before}->${c.position.after}`),
    shares: d.changedRules.filter((c) => c.shares).map((c) => c.id),
    policies: d.changedRules.flatMap((c) => c.policies.map((p) => `${c.id}:${p.policy}`)),
  };
}

const none = { added: [], removed: [], moved: [], shares: [], policies: [] };

describe("diffRouting: rules are paired by id", () => {
  const cases: { name: string; base: RoutingTable; head: RoutingTable; expect: ReturnType<typeof outline> }[] = [
    {
      name: "reports reviews v1 100% -> v1 50%, v3 50% as a share change",
      base: table([host("reviews", [reviewsV1])]),
      head: table([host("reviews", [rule("reviews/all", { to: "reviews v1 50, reviews v3 50" })])]),
      expect: { ...none, change: "changed", shares: ["reviews/all"] },
    },
    {
      name: "reports a new host with all its rules as added",
      base: table([]),
      head: table([host("reviews", [jason, reviewsV1])]),
      expect: { ...none, change: "added", added: ["reviews/jason@0", "reviews/all@1"] },
    },
    {
      name: "reports a deleted host with all its rules as removed",
      base: table([host("reviews", [jason, reviewsV1])]),
      head: table([]),
      expect: { ...none, change: "removed", removed: ["reviews/jason@0", "reviews/all@1"] },
    },
    {
      name: "reports a rule inserted ahead of the others as added, not as every other rule moving",
      base: table([host("reviews", [reviewsV1])]),
      head: table([host("reviews", [jason, reviewsV1])]),
      expect: { ...none, change: "changed", added: ["reviews/jason@0"] },
    },
    {
      name: "reports a deleted rule as removed at its old position",
      base: table([host("reviews", [jason, reviewsV1])]),
      head: table([host("reviews", [reviewsV1])]),
      expect: { ...none, change: "changed", removed: ["reviews/jason@0"] },
    },
    {
      name: "reports a rule moved from last to first as one move, not as remove and add",
      base: table([host("productpage", [rule("a", { matches: [match.exact("/a")], to: "productpage 100" }), rule("b", { matches: [match.exact("/b")], to: "productpage 100" }), rule("c", { matches: [match.exact("/c")], to: "productpage 100" })])]),
      head: table([host("productpage", [rule("c", { matches: [match.exact("/c")], to: "productpage 100" }), rule("a", { matches: [match.exact("/a")], to: "productpage 100" }), rule("b", { matches: [match.exact("/b")], to: "productpage 100" })])]),
      expect: { ...none, change: "changed", moved: ["c:2->0"] },
    },
    {
      name: "reports a swap of two rules as exactly one move",
      base: table([host("reviews", [jason, reviewsV1])]),
      head: table([host("reviews", [reviewsV1, jason])]),
      expect: { ...none, change: "changed", moved: ["reviews/jason:0->1"] },
    },
    {
      name: "reports timeout 10s -> 5s and a fault added as policy changes",
      base: table([host("ratings", [rule("ratings/all", { to: "ratings v1 100", policies: { timeout: "10s" } })])]),
      head: table([
        host("ratings", [
          rule("ratings/all", {
            to: "ratings v1 100",
            policies: { timeout: "5s", fault: { delay: { fixedDelay: "7s", percentage: 100 }, abort: null } },
          }),
        ]),
      ]),
      expect: { ...none, change: "changed", policies: ["ratings/all:timeout", "ratings/all:fault"] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(outline(onlyHost(diffRouting(c.base, c.head))), c.expect));
  }

  it("keeps the before and after shares of a share change, with full hosts", () => {
    const d = onlyHost(
      diffRouting(
        table([host("reviews", [reviewsV1])]),
        table([host("reviews", [rule("reviews/all", { to: "reviews v1 50, reviews v3 50" })])]),
      ),
    );
    const shares = d.changedRules[0]!.shares!;
    assert.deepEqual(shares.before, [{ service: "reviews.default.svc.cluster.local", subset: "v1", port: null, weight: 100 }]);
    assert.deepEqual(
      shares.after.map((b) => [b.service, b.subset, b.weight]),
      [
        ["reviews.default.svc.cluster.local", "v1", 50],
        ["reviews.default.svc.cluster.local", "v3", 50],
      ],
    );
  });

  it("keeps a policy's before and after values", () => {
    const d = onlyHost(
      diffRouting(
        table([host("ratings", [rule("ratings/all", { to: "ratings v1 100", policies: { timeout: "10s" } })])]),
        table([host("ratings", [rule("ratings/all", { to: "ratings v1 100", policies: { timeout: "5s" } })])]),
      ),
    );
    assert.deepEqual(d.changedRules[0]!.policies, [{ policy: "timeout", before: "10s", after: "5s" }]);
  });

  it("tells backends apart by port: productpage:9080 -> productpage:9081 is a share change", () => {
    const d = onlyHost(
      diffRouting(
        table([host("productpage", [rule("pp", { to: "productpage:9080 100" })])]),
        table([host("productpage", [rule("pp", { to: "productpage:9081 100" })])]),
      ),
    );
    assert.equal(d.changedRules[0]!.shares?.after[0]?.port, 9081);
  });

  it("reports a share that is now answered with HTTP 500 (backendRef not permitted) as a share change", () => {
    const permitted = rule("shop/root", { to: "storefront 80, storefront-canary 20" });
    const refused = structuredClone(permitted);
    refused.backends[1]!.unavailable = "backendRef to namespace canary is not permitted by any ReferenceGrant";
    const d = onlyHost(diffRouting(table([host("shop", [permitted])]), table([host("shop", [refused])])));
    assert.equal(d.changedRules[0]?.shares?.after[1]?.unavailable, refused.backends[1]!.unavailable);
    assert.equal(d.trafficShift?.after?.kind, "backends");
  });

  it("reports a DestinationRule subset that now selects other pods", () => {
    const d = onlyHost(
      diffRouting(
        table([host("reviews", [rule("reviews/all", { to: "reviews v1 100", selectors: { 0: { app: "reviews", version: "v1" } } })])]),
        table([host("reviews", [rule("reviews/all", { to: "reviews v1 100", selectors: { 0: { app: "reviews", version: "v2" } } })])]),
      ),
    );
    assert.deepEqual(
      d.changedRules[0]!.selectors.map((s) => [s.subset, s.before, s.after]),
      [["v1", { app: "reviews", version: "v1" }, { app: "reviews", version: "v2" }]],
    );
  });

  it("pairs two rules with the same id by occurrence, so removing the second copy reads as one removal", () => {
    const dup = rule("reviews/all", { to: "reviews v3 100" });
    const d = onlyHost(diffRouting(table([host("reviews", [reviewsV1, dup])]), table([host("reviews", [reviewsV1])])));
    assert.deepEqual(outline(d), { ...none, change: "changed", removed: ["reviews/all@1"] });
  });
});

describe("diffRouting: traffic shifts of default traffic", () => {
  const shiftOf = (base: RoutingTable, head: RoutingTable) => onlyHost(diffRouting(base, head)).trafficShift;

  it("shows where default traffic went before and after a share change", () => {
    const s = shiftOf(
      table([host("reviews", [jason, reviewsV1])]),
      table([host("reviews", [jason, rule("reviews/all", { to: "reviews v1 50, reviews v3 50" })])]),
    );
    assert.deepEqual(s, {
      before: { kind: "backends", rule: "reviews/all", backends: route("reviews v1 100") },
      after: { kind: "backends", rule: "reviews/all", backends: route("reviews v1 50, reviews v3 50") },
    });
  });

  it("reports no default route when the catch-all rule is replaced by a prefix rule (unmatched requests get 404)", () => {
    const s = shiftOf(
      table([host("details", [rule("details/all", { to: "details v1 100" })])]),
      table([host("details", [rule("details/api", { matches: [match.prefix("/details")], to: "details v1 100" })])]),
    );
    assert.deepEqual(s?.after, { kind: "none" });
  });

  it("treats uri prefix / as catching every request", () => {
    const s = shiftOf(
      table([host("details", [rule("details/api", { matches: [match.prefix("/details")], to: "details v1 100" })])]),
      table([host("details", [rule("details/root", { matches: [match.prefix("/")], to: "details v2 100" })])]),
    );
    assert.deepEqual(s, { before: { kind: "none" }, after: { kind: "backends", rule: "details/root", backends: route("details v2 100") } });
  });

  it("gives a new host a shift from no such host", () => {
    const s = shiftOf(table([]), table([host("ratings", [rule("ratings/all", { to: "ratings v1 100" })])]));
    assert.equal(s?.before, null);
    assert.equal(s?.after?.kind, "backends");
  });

  it("reports no shift when only a header rule changes and the catch-all keeps its backends", () => {
    const d = onlyHost(
      diffRouting(
        table([host("reviews", [jason, reviewsV1])]),
        table([host("reviews", [rule("reviews/jason", { matches: [match.header("end-user", "jason")], to: "reviews v3 100" }), reviewsV1])]),
      ),
    );
    assert.equal(d.trafficShift, null);
  });

  it("reports no shift when the catch-all is renamed but routes the same (a shift is about traffic, not rule ids)", () => {
    const d = onlyHost(
      diffRouting(table([host("reviews", [reviewsV1])]), table([host("reviews", [rule("reviews/default", { to: "reviews v1 100" })])])),
    );
    assert.equal(d.trafficShift, null);
    assert.deepEqual(outline(d), { ...none, change: "changed", added: ["reviews/default@0"], removed: ["reviews/all@0"] });
  });
});

describe("diffRouting: access", () => {
  const productpageToReviews = access("ap/reviews-viewer", "allow bookinfo-productpage -> reviews", {
    selector: { app: "reviews" },
    principals: ["cluster.local/ns/default/sa/bookinfo-productpage"],
  });
  const bookbuyer = access("tt/bookstore", "allow bookbuyer -> bookstore GET /books*", {
    engine: "smi",
    namespace: "bookstore",
    serviceAccount: "bookstore",
  });
  const denyRatingsPost = access("ap/ratings-deny", "deny * -> ratings POST", { action: "DENY", selector: { app: "ratings" } });
  const allowNothing = access("ap/allow-nothing", "allow nothing on namespace default", { matchesNothing: true });
  const denyNothing = access("ap/deny-nothing", "deny nothing", { action: "DENY", matchesNothing: true });

  const cases: { name: string; base: RoutingTable; head: RoutingTable; edges: string[] }[] = [
    { name: "an added ALLOW is newly allowed", base: table([]), head: table([], [productpageToReviews]), edges: ["newlyAllowed ap/reviews-viewer"] },
    { name: "a removed ALLOW is no longer allowed", base: table([], [bookbuyer]), head: table([]), edges: ["noLongerAllowed tt/bookstore"] },
    { name: "an added DENY is newly denied", base: table([]), head: table([], [denyRatingsPost]), edges: ["newlyDenied ap/ratings-deny"] },
    { name: "a removed DENY is no longer denied", base: table([], [denyRatingsPost]), head: table([]), edges: ["noLongerDenied ap/ratings-deny"] },
    { name: "an ALLOW that matches nothing denies everything (Istio allow-nothing)", base: table([]), head: table([], [allowNothing]), edges: ["newlyDenied ap/allow-nothing"] },
    { name: "a DENY that matches nothing changes no edge", base: table([]), head: table([], [denyNothing]), edges: [] },
    {
      name: "a changed summary is no longer the old edge and newly the new one",
      base: table([], [productpageToReviews]),
      head: table([], [{ ...productpageToReviews, summary: "allow bookinfo-productpage -> reviews GET" }]),
      edges: ["noLongerAllowed ap/reviews-viewer", "newlyAllowed ap/reviews-viewer"],
    },
    {
      name: "a rule moved to another line is no change",
      base: table([], [productpageToReviews]),
      head: table([], [{ ...productpageToReviews, origin: { ...productpageToReviews.origin, line: 40 } }]),
      edges: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = diffRouting(c.base, c.head).access;
      assert.deepEqual(d.edges.map((e) => `${e.effect} ${e.ruleId}`), c.edges);
    });
  }

  it("lists added, removed and changed rules by id", () => {
    const tightened = { ...productpageToReviews, when: [{ key: "request.headers[x-version]", values: ["v2"] }] };
    const d = diffRouting(table([], [productpageToReviews, bookbuyer]), table([], [tightened, denyRatingsPost])).access;
    assert.deepEqual(
      [d.added.map((r) => r.id), d.removed.map((r) => r.id), d.changed.map((c) => c.id)],
      [["ap/ratings-deny"], ["tt/bookstore"], ["ap/reviews-viewer"]],
    );
  });

  it("reports OSM permissive mode switching on, and marks SMI edges as not enforced under it", () => {
    const d = diffRouting(table([], [], false), table([], [bookbuyer], true)).access;
    assert.deepEqual(d.smiPermissive, { before: false, after: true });
    assert.deepEqual(d.edges.map((e) => [e.effect, e.enforced]), [["newlyAllowed", false]]);
  });

  it("carries the direction of north-south rules on their edges", () => {
    const egress = access("egress/httpbin", "allow bookbuyer -> httpbin.org:443", { engine: "smi", direction: "egress", namespace: "bookbuyer" });
    const d = diffRouting(table([]), table([], [egress])).access;
    assert.equal(d.edges[0]?.direction, "egress");
  });
});

describe("diffRouting: no change", () => {
  it("gives an empty diff for the same table", () => {
    const t = table([host("reviews", [jason, reviewsV1])], [access("ap/x", "allow x -> reviews")]);
    const d = diffRouting(t, structuredClone(t));
    assert.deepEqual(d, { hosts: [], access: { added: [], removed: [], changed: [], edges: [], smiPermissive: null } });
    assert.equal(isEmptyRoutingDiff(d), true);
  });

  it("ignores what does not change traffic: origin lines, key order, backend order", () => {
    const base = table([host("reviews", [rule("reviews/all", { to: "reviews v1 50, reviews v3 50", policies: { timeout: "5s" } })])]);
    const moved = structuredClone(base);
    const r = moved.hosts[0]!.rules[0]!;
    r.origin.line = 99;
    r.backends.reverse();
    r.policies = Object.fromEntries(Object.entries(r.policies).reverse()) as typeof r.policies;
    assert.equal(isEmptyRoutingDiff(diffRouting(base, moved)), true);
  });

  it("is not empty when only OSM permissive mode changes", () => {
    assert.equal(isEmptyRoutingDiff(diffRouting(table([], [], false), table([], [], true))), false);
  });
});

describe("diffRouting: scale", () => {
  it("diffs 10,000 hosts by key, reporting only the ones that changed, sorted by host", () => {
    const hosts = (n: number, canary: (i: number) => boolean) =>
      Array.from({ length: n }, (_, i) => {
        const name = `svc-${String(i).padStart(5, "0")}`;
        return host(name, [rule(`${name}/all`, { to: canary(i) ? `${name} v1 90, ${name} v2 10` : `${name} v1 100` })]);
      });
    const base = table(hosts(10_000, () => false));
    const head = table(hosts(10_000, (i) => i % 1000 === 7).reverse());
    const d = diffRouting(base, head);
    assert.deepEqual(
      d.hosts.map((h) => h.host.split(".")[0]),
      Array.from({ length: 10 }, (_, k) => `svc-${String(k * 1000 + 7).padStart(5, "0")}`),
    );
  });
});
