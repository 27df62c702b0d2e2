/**
 * Regular expressions the data plane compiles, checked with RE2 (re2js), at
 * the field that holds them:
 *
 * - Istio VirtualService `StringMatch.regex` (uri, scheme, method, authority,
 *   headers, withoutHeaders, queryParams), `corsPolicy.allowOrigins[].regex`
 *   and `rewrite.uriRegexRewrite.match`. Istio's validation
 *   (pkg/config/validation `validateStringMatchRegexp`, `validateStringRegexp`)
 *   rejects an empty regex, one longer than 1024 characters (its stand-in for
 *   Envoy's RE2 program-size limit) and one Go's RE2 `regexp.Compile` refuses.
 * - Gateway API `RegularExpression` matches: HTTPRoute path, header and query
 *   parameter values, GRPCRoute method service/method and header values.
 *   Envoy-based implementations compile them as RE2 (`safe_regex`).
 * - ingress-nginx paths on a host where `use-regex` (or a rewrite-target) makes
 *   every location a regex (`location ~* "^<path>"`), as the Ingress engine
 *   found them. nginx compiles these with PCRE, so a pattern RE2 refuses is
 *   either invalid for nginx too (the configuration test fails and the Ingress
 *   is refused) or uses PCRE-only syntax meshplan cannot evaluate: a warning.
 *
 * SMI HTTPRouteGroup `pathRegex` and header values are reported by the SMI
 * engine (MP0409) and are not repeated here.
 */
import type { GRPCRoute, HTTPRoute } from "../../../manifests/schemas/gateway-api.js";
import type { IstioStringMatch, VirtualService } from "../../../manifests/schemas/istio.js";
import type { FieldPath, Resource } from "../../../manifests/types.js";
import { compileRe2 } from "../../../routing/regex.js";
import type { LintRule, RuleContext } from "../../rule.js";
import { fieldPathOf, originResources, valueAt } from "./origin-resource.js";

/** Istio `validateStringRegexp`: longer patterns are refused before Envoy sees them. */
const ISTIO_MAX_REGEX_LENGTH = 1024;

function re2Error(pattern: string): string | null {
  const compiled = compileRe2(pattern);
  return compiled.ok ? null : compiled.error;
}

function label(res: Resource, defaultNamespace: string): string {
  return `${res.kind} ${res.namespace ?? defaultNamespace}/${res.name}`;
}

function checkIstio(ctx: RuleContext): void {
  ctx.forEach<VirtualService>("networking.istio.io/VirtualService", ({ res, obj }) => {
    const who = label(res, ctx.model.defaultNamespace);
    const check = (pattern: string, path: FieldPath, emptyAllowed = false) => {
      let problem: string | null = null;
      if (pattern === "") problem = emptyAllowed ? null : "an empty regex is not allowed";
      else if (pattern.length > ISTIO_MAX_REGEX_LENGTH) problem = `it is ${pattern.length} characters long; Istio allows at most ${ISTIO_MAX_REGEX_LENGTH}`;
      else {
        const err = re2Error(pattern);
        if (err) problem = `RE2 refuses it: ${err}`;
      }
      if (!problem) return;
      ctx.report(res, path, `${who} regex ${JSON.stringify(pattern)} is invalid (${problem}); Istio's validation rejects the VirtualService.`, {
        hint: "Write the pattern in RE2 syntax (no lookaround or backreferences); see https://github.com/google/re2/wiki/Syntax.",
      });
    };
    const checkMatch = (m: IstioStringMatch | undefined, path: FieldPath) => {
      if (m?.regex !== undefined) check(m.regex, [...path, "regex"]);
    };
    (obj.spec?.http ?? []).forEach((route, i) => {
      const base: FieldPath = ["spec", "http", i];
      (route.match ?? []).forEach((m, j) => {
        const at: FieldPath = [...base, "match", j];
        for (const field of ["uri", "scheme", "method", "authority"] as const) checkMatch(m[field], [...at, field]);
        for (const field of ["headers", "withoutHeaders", "queryParams"] as const)
          for (const [name, sm] of Object.entries(m[field] ?? {})) checkMatch(sm, [...at, field, name]);
      });
      (route.corsPolicy?.allowOrigins ?? []).forEach((sm, k) => checkMatch(sm, [...base, "corsPolicy", "allowOrigins", k]));
      const rewrite = route.rewrite?.uriRegexRewrite?.match;
      // An empty match is refused with "requires both Rewrite and Match", a different check.
      if (rewrite !== undefined) check(rewrite, [...base, "rewrite", "uriRegexRewrite", "match"], true);
    });
  });
}

function checkGatewayApi(ctx: RuleContext): void {
  const report = (res: Resource, pattern: string, path: FieldPath) => {
    const err = re2Error(pattern);
    if (!err) return;
    ctx.report(
      res,
      path,
      `${label(res, ctx.model.defaultNamespace)} RegularExpression ${JSON.stringify(pattern)} is not valid RE2 (${err}); ` +
        "RE2-based implementations (Envoy Gateway, Istio, Contour) refuse the rule, so its requests are not routed by it.",
      { hint: "Write the pattern in RE2 syntax (no lookaround or backreferences); see https://github.com/google/re2/wiki/Syntax." },
    );
  };
  type Keyed = { type?: string | null; value: string };
  const keyed = (res: Resource, list: readonly Keyed[] | null | undefined, path: FieldPath) =>
    (list ?? []).forEach((h, k) => {
      if (h.type === "RegularExpression") report(res, h.value, [...path, k, "value"]);
    });

  ctx.forEach<HTTPRoute>("gateway.networking.k8s.io/HTTPRoute", ({ res, obj }) => {
    (obj.spec.rules ?? []).forEach((rule, i) =>
      (rule.matches ?? []).forEach((m, j) => {
        const at: FieldPath = ["spec", "rules", i, "matches", j];
        if (m.path?.type === "RegularExpression" && m.path.value != null) report(res, m.path.value, [...at, "path", "value"]);
        keyed(res, m.headers, [...at, "headers"]);
        keyed(res, m.queryParams, [...at, "queryParams"]);
      }),
    );
  });
  ctx.forEach<GRPCRoute>("gateway.networking.k8s.io/GRPCRoute", ({ res, obj }) => {
    (obj.spec.rules ?? []).forEach((rule, i) =>
      (rule.matches ?? []).forEach((m, j) => {
        const at: FieldPath = ["spec", "rules", i, "matches", j];
        if (m.method?.type === "RegularExpression")
          for (const field of ["service", "method"] as const) {
            const value = m.method[field];
            if (value) report(res, value, [...at, "method", field]);
          }
        keyed(res, m.headers, [...at, "headers"]);
      }),
    );
  });
}

/** Paths the Ingress engine turned into regex locations (a `use-regex` or rewrite-target host). */
function checkIngressNginx(ctx: RuleContext): void {
  const resourceOf = originResources(ctx.model);
  const seen = new Set<string>();
  for (const table of ctx.table.hosts) {
    if (table.source !== "ingress") continue;
    for (const rule of table.rules) {
      if (!rule.matches.some((m) => m.uri?.type === "regex")) continue;
      const res = resourceOf(rule.origin);
      if (!res) continue;
      const path = [...fieldPathOf(rule.origin.path), "path"];
      const pattern = valueAt(res.object, path);
      if (typeof pattern !== "string") continue;
      const key = `${res.file}#${res.docIndex}|${rule.origin.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const err = re2Error(pattern);
      if (!err) continue;
      ctx.report(
        res,
        path,
        `${label(res, ctx.model.defaultNamespace)} path ${JSON.stringify(pattern)} is a regex on host ${table.host} (use-regex or rewrite-target) ` +
          `and is not valid RE2 (${err}). ingress-nginx compiles it with PCRE: if PCRE refuses it too, nginx's configuration test fails and the ` +
          "Ingress is refused; if it relies on PCRE-only syntax, meshplan cannot evaluate which requests it matches.",
        { severity: "warning", hint: "Use a pattern both PCRE and RE2 accept (no lookaround or backreferences)." },
      );
    }
  }
}

export const invalidRegex: LintRule = {
  code: "MP1105",
  title: "Invalid regular expression",
  severity: "error",
  docs:
    "A regular expression the data plane compiles is not valid RE2: an Istio VirtualService StringMatch `regex`, " +
    "`corsPolicy.allowOrigins` regex or `uriRegexRewrite.match`, a Gateway API `RegularExpression` path, header, " +
    "query parameter or gRPC method match, or an ingress-nginx path on a `use-regex` host. Istio's validation " +
    "rejects the VirtualService (also for an empty regex or one longer than 1024 characters); RE2-based Gateway API " +
    "implementations refuse the rule; ingress-nginx compiles paths with PCRE, so there the finding is a warning: " +
    "the pattern is either refused by nginx too or uses syntax meshplan cannot evaluate. Invalid SMI HTTPRouteGroup " +
    "regexes are MP0409.",
  equivalents: ["IST0106"],
  kinds: [
    "networking.istio.io/VirtualService",
    "gateway.networking.k8s.io/HTTPRoute",
    "gateway.networking.k8s.io/GRPCRoute",
    "networking.k8s.io/Ingress",
    "extensions/Ingress",
  ],
  check(ctx) {
    checkIstio(ctx);
    checkGatewayApi(ctx);
    checkIngressNginx(ctx);
  },
};
