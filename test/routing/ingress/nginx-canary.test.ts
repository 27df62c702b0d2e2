import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RE2JS } from "re2js";
import { cookieRegex, nginxCanary } from "../../../src/routing/ingress/nginx-canary.js";

const a = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v]));

describe("nginxCanary: reading the canary annotations", () => {
  it("is not a canary without canary: \"true\"", () => {
    assert.equal(nginxCanary(a({ "canary-weight": "20" })), null);
    assert.equal(nginxCanary(a({ canary: "false", "canary-weight": "20" })), null);
  });

  it("reads header, value, pattern, cookie and weight", () => {
    assert.deepEqual(
      nginxCanary(a({ canary: "true", "canary-by-header": "X-Canary", "canary-by-header-value": "yes", "canary-by-header-pattern": "^y", "canary-by-cookie": "c", "canary-weight": "20" })),
      { header: "X-Canary", headerValue: "yes", headerPattern: "^y", cookie: "c", weight: 20, weightTotal: 100 },
    );
  });

  const totals: [string, string | undefined, number][] = [
    ["defaults canary-weight-total to 100", undefined, 100],
    ["takes a larger total", "1000", 1000],
    ["ignores a total below 100, as balancer.lua does", "50", 100],
    ["ignores a total that is not a number", "lots", 100],
  ];
  for (const [name, total, expected] of totals)
    it(name, () => {
      const c = nginxCanary(a({ canary: "true", ...(total ? { "canary-weight-total": total } : {}) }));
      assert.equal(c?.weightTotal, expected);
      assert.equal(c?.weight, 0);
    });
});

describe("cookieRegex: nginx $cookie_<name> as a whole-value RE2 match on the cookie header", () => {
  const re = RE2JS.compile(cookieRegex("use.canary", "always"));
  const cases: [string, boolean][] = [
    ["use.canary=always", true],
    ["session=1; use.canary=always", true],
    ["session=1;use.canary=always; theme=dark", true],
    ["use.canary=alwaysx", false],
    ["xuse.canary=always", false],
    ["useXcanary=always", false],
    ["use.canary=never", false],
  ];
  for (const [cookie, hit] of cases) it(`${hit ? "matches" : "does not match"} ${cookie}`, () => assert.equal(re.matches(cookie), hit));
});
