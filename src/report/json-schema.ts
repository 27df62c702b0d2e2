/**
 * The JSON meshplan prints (`--format json`), described once with zod. The
 * renderers parse through these schemas, which fixes the key order of every
 * object; `npm run docs:schema` writes them as JSON Schema to docs/schema/.
 * The published schemas allow unknown keys: within `meshplan/v1` fields are
 * only added (docs/json-output.md).
 */
import { z } from "zod";
import type { Finding } from "../findings.js";
import type { ObjectRef } from "../manifests/types.js";
import type {
  AccessDiff,
  AccessEdge,
  BackendShare,
  HostDiff,
  RoutingDiff,
  RuleAddition,
  RuleChange,
  RuleRemoval,
  TrafficShift,
} from "../routing/diff.js";
import type { TraceBackend, TraceResult } from "../routing/trace-types.js";
import type {
  AccessCondition,
  AccessOperation,
  AccessRule,
  AccessSource,
  AccessTable,
  EffectiveRule,
  FaultPolicy,
  HeaderPolicy,
  HostRoutes,
  KeyedMatch,
  MirrorPolicy,
  Origin,
  RedirectPolicy,
  RequestMatch,
  RetryPolicy,
  RewritePolicy,
  RoutePolicies,
  RoutingTable,
  WeightedBackend,
} from "../routing/types.js";
import type { PlanReport, RevisionInfo } from "./plan-report.js";
import { schemaVersion } from "./schema-version.js";

/** Maps (labels, headers, query) print with sorted keys: YAML order is not meaning. */
const labels = z
  .record(z.string(), z.string())
  .transform((m) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
const version = z.literal(schemaVersion).describe("Format version; a breaking change makes meshplan/v2.");

export const objectRefSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    namespace: z.string().nullable(),
    name: z.string(),
  })
  .meta({ id: "ObjectRef", description: "A Kubernetes object; namespace as written (null when absent)." });

export const originSchema = z
  .object({
    resource: objectRefSchema,
    file: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    path: z.string().describe("Dotted field path, e.g. spec.http[1]."),
  })
  .meta({ id: "Origin", description: "Where a piece of routing is written." });

const stringMatch = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("exact"), value: z.string() }),
    z.object({ type: z.literal("prefix"), value: z.string() }),
    z.object({ type: z.literal("pathPrefix"), value: z.string() }),
    z.object({ type: z.literal("regex"), value: z.string() }),
    z.object({ type: z.literal("present") }),
  ])
  .meta({
    id: "StringMatch",
    description: "prefix: plain string prefix; pathPrefix: whole path elements; regex: RE2 matching the whole value.",
  });

const keyedMatch = z
  .object({
    name: z.string(),
    match: stringMatch,
    invert: z.boolean().optional(),
  })
  .meta({ id: "KeyedMatch" });

export const requestMatchSchema = z
  .object({
    uri: stringMatch.optional(),
    method: stringMatch.optional(),
    scheme: stringMatch.optional(),
    authority: stringMatch.optional(),
    headers: z.array(keyedMatch).optional(),
    queryParams: z.array(keyedMatch).optional(),
    port: z.number().int().optional(),
    sourceLabels: labels.optional(),
    sourceNamespace: z.string().optional(),
    gateways: z.array(z.string()).optional(),
    ignoreUriCase: z.boolean().optional(),
  })
  .meta({ id: "RequestMatch", description: "One match block: every condition present must hold." });

const backendFields = {
  service: z.string().describe("Fully qualified host."),
  subset: z.string().nullable(),
  port: z.number().int().nullable(),
};

const weightedBackend = z
  .object({
    ...backendFields,
    weight: z.number().describe("Percentage of the rule's traffic."),
    selector: labels.nullable().optional(),
    unavailable: z.string().optional().describe("Why this share is answered with an error instead of being sent."),
  })
  .meta({ id: "WeightedBackend" });

const retryPolicy = z
  .object({ attempts: z.number().int(), perTryTimeout: z.string().nullable(), retryOn: z.string().nullable() })
  .meta({ id: "RetryPolicy" });

const faultPolicy = z
  .object({
    delay: z.object({ fixedDelay: z.string(), percentage: z.number() }).nullable(),
    abort: z
      .object({ httpStatus: z.number().int().nullable(), grpcStatus: z.string().nullable(), percentage: z.number() })
      .nullable(),
  })
  .meta({ id: "FaultPolicy" });

const mirrorPolicy = z
  .object({ ...backendFields, percentage: z.number() })
  .meta({ id: "MirrorPolicy" });

const rewritePolicy = z
  .object({
    uri: z.string().optional(),
    uriRegex: z.object({ match: z.string(), rewrite: z.string() }).optional(),
    authority: z.string().optional(),
  })
  .meta({ id: "RewritePolicy" });

const redirectPolicy = z
  .object({
    uri: z.string().optional(),
    authority: z.string().optional(),
    scheme: z.string().optional(),
    port: z.number().int().optional(),
    statusCode: z.number().int(),
  })
  .meta({ id: "RedirectPolicy" });

const directResponse = z.object({ status: z.number().int(), body: z.string().nullable() }).meta({ id: "DirectResponse" });

const headerOps = z.object({
  set: labels.optional(),
  add: labels.optional(),
  remove: z.array(z.string()).optional(),
});
const headerPolicy = z
  .object({ request: headerOps.optional(), response: headerOps.optional() })
  .meta({ id: "HeaderPolicy" });

export const routePoliciesSchema = z
  .object({
    timeout: z.string().nullable(),
    retries: retryPolicy.nullable(),
    fault: faultPolicy.nullable(),
    mirror: z.array(mirrorPolicy),
    rewrite: rewritePolicy.nullable(),
    redirect: redirectPolicy.nullable(),
    directResponse: directResponse.nullable(),
    headers: headerPolicy.nullable(),
  })
  .meta({ id: "RoutePolicies" });

export const effectiveRuleSchema = z
  .object({
    id: z.string().describe("Stable identity inside the host, independent of list position."),
    name: z.string().nullable(),
    matches: z.array(requestMatchSchema).describe("OR of match blocks; empty matches every request."),
    backends: z.array(weightedBackend),
    policies: routePoliciesSchema,
    origin: originSchema,
  })
  .meta({ id: "EffectiveRule" });

const protocol = z.enum(["http", "grpc", "tcp", "tls"]);
const routingSource = z.enum(["istio", "smi", "gateway-api", "ingress", "service"]);

export const hostRoutesSchema = z
  .object({
    key: z.string(),
    host: z.string(),
    port: z.number().int().nullable(),
    protocol,
    source: routingSource,
    attachment: z.string().describe("mesh, gateway:ns/name or ingress:class."),
    rules: z.array(effectiveRuleSchema).describe("Ordered: the first rule that matches wins."),
    origins: z.array(originSchema),
  })
  .meta({ id: "HostRoutes" });

const accessTarget = z.object({
  namespace: z.string().nullable(),
  selector: labels.nullable(),
  serviceAccount: z.string().nullable(),
});

export const accessRuleSchema = z
  .object({
    id: z.string(),
    engine: z.enum(["istio", "smi"]),
    action: z.enum(["ALLOW", "DENY", "CUSTOM", "AUDIT"]),
    target: accessTarget,
    from: z.array(
      z.object({
        principals: z.array(z.string()).optional(),
        notPrincipals: z.array(z.string()).optional(),
        namespaces: z.array(z.string()).optional(),
        notNamespaces: z.array(z.string()).optional(),
        unevaluated: z.array(z.string()).optional(),
      }),
    ),
    to: z.array(
      z.object({
        methods: z.array(z.string()).optional(),
        notMethods: z.array(z.string()).optional(),
        paths: z.array(z.string()).optional(),
        notPaths: z.array(z.string()).optional(),
        ports: z.array(z.number().int()).optional(),
        notPorts: z.array(z.number().int()).optional(),
        hosts: z.array(z.string()).optional(),
        notHosts: z.array(z.string()).optional(),
        matches: z.array(requestMatchSchema).optional(),
      }),
    ),
    when: z.array(
      z.object({ key: z.string(), values: z.array(z.string()).optional(), notValues: z.array(z.string()).optional() }),
    ),
    matchesNothing: z.boolean(),
    summary: z.string(),
    origin: originSchema,
    direction: z
      .enum(["ingress", "egress"])
      .optional()
      .describe("North-south rules only: requests entering the mesh (ingress) or leaving it (egress)."),
  })
  .meta({ id: "AccessRule" });

const accessTable = z.object({ rules: z.array(accessRuleSchema), smiPermissive: z.boolean() }).meta({ id: "AccessTable" });

export const findingSchema = z
  .object({
    code: z.string(),
    severity: z.enum(["error", "warning", "info"]),
    message: z.string(),
    resource: objectRefSchema.nullable(),
    file: z.string().nullable(),
    line: z.number().int().nullable().describe("1-based."),
    column: z.number().int().nullable().describe("1-based."),
    path: z.string().nullable(),
    equivalents: z.array(z.string()).describe("Matching istioctl analyze (IST0101) or Kiali (KIA1101) codes."),
    hint: z.string().optional(),
  })
  .meta({ id: "Finding" });

/* ---------- diff ---------- */

const unavailable = z.string().optional().describe("Why this share is answered with an error instead of being sent.");
const backendShare = z.object({ ...backendFields, weight: z.number(), unavailable }).meta({ id: "BackendShare" });

const defaultRoute = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("backends"), rule: z.string(), backends: z.array(backendShare) }),
    z.object({ kind: z.literal("redirect"), rule: z.string(), redirect: redirectPolicy }),
    z.object({ kind: z.literal("directResponse"), rule: z.string(), status: z.number().int() }),
    z.object({ kind: z.literal("noBackends"), rule: z.string() }),
    z.object({ kind: z.literal("none") }),
  ])
  .meta({
    id: "DefaultRoute",
    description: "Where requests go that no more specific rule matches; none means they get 404.",
  });

const ruleRef = {
  id: z.string(),
  name: z.string().nullable(),
  matches: z.array(requestMatchSchema),
};

const policyChange = <K extends keyof RoutePolicies>(policy: K, value: z.ZodType<RoutePolicies[K]>) =>
  z.object({ policy: z.literal(policy), before: value, after: value });

const policyChangeSchema = z
  .discriminatedUnion("policy", [
    policyChange("timeout", routePoliciesSchema.shape.timeout),
    policyChange("retries", routePoliciesSchema.shape.retries),
    policyChange("fault", routePoliciesSchema.shape.fault),
    policyChange("mirror", routePoliciesSchema.shape.mirror),
    policyChange("rewrite", routePoliciesSchema.shape.rewrite),
    policyChange("redirect", routePoliciesSchema.shape.redirect),
    policyChange("directResponse", routePoliciesSchema.shape.directResponse),
    policyChange("headers", routePoliciesSchema.shape.headers),
  ])
  .meta({ id: "PolicyChange" });

export const hostDiffSchema = z
  .object({
    key: z.string(),
    host: z.string(),
    port: z.number().int().nullable(),
    protocol,
    source: routingSource,
    attachment: z.string(),
    change: z.enum(["added", "removed", "changed"]),
    addedRules: z.array(z.object({ ...ruleRef, position: z.number().int().describe("0-based index in head.") })),
    removedRules: z.array(z.object({ ...ruleRef, position: z.number().int().describe("0-based index in base.") })),
    changedRules: z.array(
      z.object({
        ...ruleRef,
        position: z.object({ before: z.number().int(), after: z.number().int() }),
        moved: z.boolean().describe("Changed place relative to the other rules kept on both sides."),
        shares: z.object({ before: z.array(backendShare), after: z.array(backendShare) }).nullable(),
        policies: z.array(policyChangeSchema),
        selectors: z.array(z.object({ ...backendFields, before: labels.nullable(), after: labels.nullable() })),
      }),
    ),
    trafficShift: z.object({ before: defaultRoute.nullable(), after: defaultRoute.nullable() }).nullable(),
    before: hostRoutesSchema.nullable().describe("The host's routes on base; null for an added host."),
    after: hostRoutesSchema.nullable().describe("The host's routes on head; null for a removed host."),
  })
  .meta({ id: "HostDiff" });

const accessEffect = z.enum([
  "newlyAllowed",
  "noLongerAllowed",
  "newlyDenied",
  "noLongerDenied",
  "newlyCustom",
  "noLongerCustom",
  "newlyAudited",
  "noLongerAudited",
]);

export const routingDiffSchema = z
  .object({
    hosts: z.array(hostDiffSchema).describe("Changed hosts only, sorted by host, then key."),
    access: z.object({
      added: z.array(accessRuleSchema),
      removed: z.array(accessRuleSchema),
      changed: z.array(z.object({ id: z.string(), before: accessRuleSchema, after: accessRuleSchema })),
      edges: z.array(
        z.object({
          effect: accessEffect,
          ruleId: z.string(),
          engine: z.enum(["istio", "smi"]),
          action: z.enum(["ALLOW", "DENY", "CUSTOM", "AUDIT"]),
          target: accessTarget,
          direction: z.enum(["ingress", "egress"]).nullable(),
          summary: z.string(),
          enforced: z.boolean(),
        }),
      ),
      smiPermissive: z.object({ before: z.boolean(), after: z.boolean() }).nullable(),
    }),
  })
  .meta({ id: "RoutingDiff" });

/* ---------- documents ---------- */

const revisionInfo = z.object({
  label: z.string(),
  commit: z.string().nullable(),
  files: z.number().int(),
  resources: z.number().int(),
  hosts: z.number().int(),
});

export const planJsonSchema = z
  .object({
    schemaVersion: version,
    base: revisionInfo,
    head: revisionInfo,
    diff: routingDiffSchema,
    findings: z.array(findingSchema).describe("Every finding on head."),
    newFindings: z.array(findingSchema).describe("On head, not on base."),
    fixedFindings: z.array(findingSchema).describe("On base, gone from head."),
    suppressed: z.number().int().describe("Head findings silenced by meshplan.yaml or meshplan.io/ignore."),
    rulesChange: z
      .object({
        files: z.array(z.string()),
        wouldAdd: z.array(findingSchema),
        wouldRemove: z.array(findingSchema),
      })
      .nullable()
      .describe("Head changes meshplan.yaml or policies: still checked with base's rules; a preview of the new ones."),
  })
  .meta({ title: "meshplan plan", description: "`meshplan plan --format json`: routing and findings, base to head." });

export const routesJsonSchema = z
  .object({ schemaVersion: version, hosts: z.array(hostRoutesSchema), access: accessTable })
  .meta({ title: "meshplan routes", description: "`meshplan routes --format json`: the effective routing table." });

const traceLocation = {
  resource: objectRefSchema,
  file: z.string(),
  line: z.number().int(),
};

export const traceJsonSchema = z
  .object({
    schemaVersion: version,
    request: z.object({
      host: z.string(),
      resolvedHost: z.string(),
      port: z.number().int().nullable(),
      path: z.string(),
      query: labels,
      method: z.string(),
      scheme: z.string(),
      headers: labels,
      sourceLabels: labels,
      from: z.object({ namespace: z.string(), serviceAccount: z.string() }).nullable(),
      attachment: z.string(),
    }),
    allowed: z.boolean(),
    deniedBy: z.object({ ...traceLocation, engine: z.enum(["istio", "smi"]), summary: z.string() }).nullable(),
    matchedBy: z
      .object({
        ...traceLocation,
        source: routingSource,
        hostKey: z.string(),
        rule: z.string(),
        name: z.string().nullable(),
        path: z.string(),
      })
      .nullable(),
    backends: z.array(z.object({ ...backendFields, weight: z.number(), unavailable })),
    timeout: z.string().nullable(),
    retries: retryPolicy.nullable(),
    fault: faultPolicy.nullable(),
    mirror: z.array(mirrorPolicy),
    noRoute: z.string().nullable().describe("Why nothing was routed, when nothing was."),
  })
  .meta({ title: "meshplan trace", description: "`meshplan trace --format json`: one request through the mesh." });

export const findingsJsonSchema = z
  .object({ schemaVersion: version, findings: z.array(findingSchema) })
  .meta({ title: "meshplan findings", description: "`meshplan lint --format json`: findings." });

/** File name under docs/schema/ -> schema. */
export const jsonOutputSchemas = {
  "plan.schema.json": planJsonSchema,
  "routes.schema.json": routesJsonSchema,
  "trace.schema.json": traceJsonSchema,
  "findings.schema.json": findingsJsonSchema,
} as const;

/** The contents of docs/schema/*.schema.json, as `npm run docs:schema` writes them. */
export function jsonSchemaDocuments(): { file: string; content: string }[] {
  return Object.entries(jsonOutputSchemas).map(([file, schema]) => ({
    file,
    // "input": objects in the published schemas do not forbid unknown keys, so v1 readers accept later v1 additions.
    content: `${JSON.stringify(z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", override: plainIntegers }), null, 2)}\n`,
  }));
}

/** zod bounds `.int()` to the safe-integer range; for line numbers and ports that is noise in the published schema. */
function plainIntegers(ctx: { jsonSchema: Record<string, unknown> }): void {
  const j = ctx.jsonSchema;
  if (j.type === "integer" && j.minimum === Number.MIN_SAFE_INTEGER && j.maximum === Number.MAX_SAFE_INTEGER) {
    delete j.minimum;
    delete j.maximum;
  }
}

/*
 * The schemas must describe the TypeScript types exactly: same keys at every
 * object level (a missing optional field would be stripped from the output
 * silently) and mutually assignable values. A drift fails the typecheck here.
 */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Describes<S extends z.ZodType, T> =
  Mutual<z.output<S>, T> extends true ? Mutual<keyof z.output<S>, keyof T> : false;
type Assert<T extends true> = T;
type Shape<S extends { shape: Record<string, z.ZodType> }> = S["shape"];
type Element<S> = S extends z.ZodArray<infer E> ? E : S extends z.ZodOptional<infer I> ? Element<I> : never;
type Inner<S> = S extends z.ZodNullable<infer I> ? I : S extends z.ZodOptional<infer I> ? Inner<I> : S;

export type SchemasMatchTypes = [
  Assert<Describes<typeof objectRefSchema, ObjectRef>>,
  Assert<Describes<typeof originSchema, Origin>>,
  Assert<Describes<typeof keyedMatch, KeyedMatch>>,
  Assert<Describes<typeof requestMatchSchema, RequestMatch>>,
  Assert<Describes<typeof weightedBackend, WeightedBackend>>,
  Assert<Describes<typeof retryPolicy, RetryPolicy>>,
  Assert<Describes<typeof faultPolicy, FaultPolicy>>,
  Assert<Describes<typeof mirrorPolicy, MirrorPolicy>>,
  Assert<Describes<typeof rewritePolicy, RewritePolicy>>,
  Assert<Describes<typeof redirectPolicy, RedirectPolicy>>,
  Assert<Describes<typeof headerPolicy, HeaderPolicy>>,
  Assert<Describes<typeof headerOps, NonNullable<HeaderPolicy["request"]>>>,
  Assert<Describes<typeof routePoliciesSchema, RoutePolicies>>,
  Assert<Describes<typeof effectiveRuleSchema, EffectiveRule>>,
  Assert<Describes<typeof hostRoutesSchema, HostRoutes>>,
  Assert<Describes<typeof accessTarget, AccessRule["target"]>>,
  Assert<Describes<Element<Shape<typeof accessRuleSchema>["from"]>, AccessSource>>,
  Assert<Describes<Element<Shape<typeof accessRuleSchema>["to"]>, AccessOperation>>,
  Assert<Describes<Element<Shape<typeof accessRuleSchema>["when"]>, AccessCondition>>,
  Assert<Describes<typeof accessRuleSchema, AccessRule>>,
  Assert<Describes<typeof accessTable, AccessTable>>,
  Assert<Describes<typeof findingSchema, Finding>>,
  Assert<Describes<typeof backendShare, BackendShare>>,
  Assert<Describes<Element<Shape<typeof hostDiffSchema>["addedRules"]>, RuleAddition>>,
  Assert<Describes<Element<Shape<typeof hostDiffSchema>["removedRules"]>, RuleRemoval>>,
  Assert<Describes<Element<Shape<typeof hostDiffSchema>["changedRules"]>, RuleChange>>,
  Assert<Describes<Inner<Shape<typeof hostDiffSchema>["trafficShift"]>, TrafficShift>>,
  Assert<Describes<typeof hostDiffSchema, HostDiff>>,
  Assert<Describes<Shape<typeof routingDiffSchema>["access"], AccessDiff>>,
  Assert<Describes<Element<Shape<Shape<typeof routingDiffSchema>["access"]>["edges"]>, AccessEdge>>,
  Assert<Describes<typeof routingDiffSchema, RoutingDiff>>,
  Assert<Describes<typeof revisionInfo, RevisionInfo>>,
  Assert<Describes<typeof planJsonSchema, PlanReport>>,
  Assert<Mutual<Omit<z.output<typeof routesJsonSchema>, "schemaVersion">, RoutingTable>>,
  Assert<Mutual<keyof Omit<z.output<typeof routesJsonSchema>, "schemaVersion">, keyof RoutingTable>>,
  Assert<Describes<Shape<typeof traceJsonSchema>["request"], TraceResult["request"]>>,
  Assert<Describes<Inner<Shape<typeof traceJsonSchema>["deniedBy"]>, NonNullable<TraceResult["deniedBy"]>>>,
  Assert<Describes<Inner<Shape<typeof traceJsonSchema>["matchedBy"]>, NonNullable<TraceResult["matchedBy"]>>>,
  Assert<Describes<Element<Shape<typeof traceJsonSchema>["backends"]>, TraceBackend>>,
  Assert<Mutual<Omit<z.output<typeof traceJsonSchema>, "schemaVersion">, TraceResult>>,
  Assert<Mutual<keyof Omit<z.output<typeof traceJsonSchema>, "schemaVersion">, keyof TraceResult>>,
];
