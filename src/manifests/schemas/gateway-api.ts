/**
 * Gateway API (gateway.networking.k8s.io): Gateway, GatewayClass, HTTPRoute,
 * GRPCRoute and ReferenceGrant. Only the fields meshplan routes on are typed;
 * everything else passes through. Enumerations follow the CRD validation
 * (apis/v1 `+kubebuilder:validation:Enum`), so a value the API server would
 * reject is a schema violation here too. Optional fields accept null, as the
 * API server treats `field:` with no value as unset.
 */
import { z } from "zod";
import type { KindSchema } from "./kind-schema.js";
import { labelMap, resourceSchema } from "./meta.js";

const GROUP = "gateway.networking.k8s.io";

const portNumber = z.number().int().min(1).max(65535);

const labelSelector = z.looseObject({
  matchLabels: labelMap.nullish(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

/** ParentReference: group defaults to gateway.networking.k8s.io and kind to Gateway. */
export const parentReferenceSchema = z.looseObject({
  group: z.string().nullish(),
  kind: z.string().nullish(),
  namespace: z.string().nullish(),
  name: z.string().min(1),
  sectionName: z.string().nullish(),
  port: portNumber.nullish(),
});

/**
 * BackendObjectReference: group defaults to "" (core) and kind to Service.
 * The CRD requires `port` for a Service reference ("Must have port for Service reference").
 */
const backendObjectReferenceShape = {
  group: z.string().nullish(),
  kind: z.string().nullish(),
  name: z.string().min(1),
  namespace: z.string().nullish(),
  port: portNumber.nullish(),
};

function requiresServicePort(ref: { group?: string | null; kind?: string | null; port?: number | null }): boolean {
  const isService = (ref.group ?? "") === "" && (ref.kind ?? "Service") === "Service";
  return !isService || ref.port != null;
}
const servicePortMessage = { message: "Must have port for Service reference", path: ["port"] };

export const backendObjectReferenceSchema = z
  .looseObject(backendObjectReferenceShape)
  .refine(requiresServicePort, servicePortMessage);

const httpHeader = z.looseObject({ name: z.string().min(1), value: z.string() });

export const headerModifierSchema = z.looseObject({
  set: z.array(httpHeader).nullish(),
  add: z.array(httpHeader).nullish(),
  remove: z.array(z.string()).nullish(),
});

const pathModifier = z.looseObject({
  type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch"]),
  replaceFullPath: z.string().nullish(),
  replacePrefixMatch: z.string().nullish(),
});

export const requestMirrorSchema = z.looseObject({
  backendRef: backendObjectReferenceSchema,
  percent: z.number().int().min(0).max(100).nullish(),
  fraction: z
    .looseObject({ numerator: z.number().int().min(0), denominator: z.number().int().min(1).nullish() })
    .nullish(),
});

export const requestRedirectSchema = z.looseObject({
  scheme: z.enum(["http", "https"]).nullish(),
  hostname: z.string().nullish(),
  path: pathModifier.nullish(),
  port: portNumber.nullish(),
  statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).nullish(),
});

export const urlRewriteSchema = z.looseObject({
  hostname: z.string().nullish(),
  path: pathModifier.nullish(),
});

const localObjectReference = z.looseObject({ group: z.string(), kind: z.string(), name: z.string() });

export const httpRouteFilterSchema = z.looseObject({
  type: z.enum([
    "RequestHeaderModifier",
    "ResponseHeaderModifier",
    "RequestMirror",
    "RequestRedirect",
    "URLRewrite",
    "ExtensionRef",
    "CORS",
    "ExternalAuth",
  ]),
  requestHeaderModifier: headerModifierSchema.nullish(),
  responseHeaderModifier: headerModifierSchema.nullish(),
  requestMirror: requestMirrorSchema.nullish(),
  requestRedirect: requestRedirectSchema.nullish(),
  urlRewrite: urlRewriteSchema.nullish(),
  extensionRef: localObjectReference.nullish(),
});

export const grpcRouteFilterSchema = z.looseObject({
  type: z.enum(["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef"]),
  requestHeaderModifier: headerModifierSchema.nullish(),
  responseHeaderModifier: headerModifierSchema.nullish(),
  requestMirror: requestMirrorSchema.nullish(),
  extensionRef: localObjectReference.nullish(),
});

/** weight: 0..1000000, default 1 (apis/v1 BackendRef). */
const weight = z.number().int().min(0).max(1_000_000).nullish();

export const httpBackendRefSchema = z
  .looseObject({ ...backendObjectReferenceShape, weight, filters: z.array(httpRouteFilterSchema).nullish() })
  .refine(requiresServicePort, servicePortMessage);

export const grpcBackendRefSchema = z
  .looseObject({ ...backendObjectReferenceShape, weight, filters: z.array(grpcRouteFilterSchema).nullish() })
  .refine(requiresServicePort, servicePortMessage);

export const httpPathMatchSchema = z.looseObject({
  type: z.enum(["Exact", "PathPrefix", "RegularExpression"]).nullish(),
  value: z.string().nullish(),
});

const headerMatch = z.looseObject({
  type: z.enum(["Exact", "RegularExpression"]).nullish(),
  name: z.string().min(1),
  value: z.string(),
});

export const httpRouteMatchSchema = z.looseObject({
  path: httpPathMatchSchema.nullish(),
  headers: z.array(headerMatch).nullish(),
  queryParams: z.array(headerMatch).nullish(),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]).nullish(),
});

/** Gateway API Duration (GEP-2257): e.g. `10s`, `1h30m`, `500ms`. */
const duration = z.string().regex(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/, "must be a Gateway API duration such as 10s or 1h30m");

export const httpRouteRuleSchema = z.looseObject({
  name: z.string().nullish(),
  matches: z.array(httpRouteMatchSchema).nullish(),
  filters: z.array(httpRouteFilterSchema).nullish(),
  backendRefs: z.array(httpBackendRefSchema).nullish(),
  timeouts: z.looseObject({ request: duration.nullish(), backendRequest: duration.nullish() }).nullish(),
  retry: z
    .looseObject({
      codes: z.array(z.number().int().min(400).max(599)).nullish(),
      attempts: z.number().int().min(0).nullish(),
      backoff: duration.nullish(),
    })
    .nullish(),
});

const hostnames = z.array(z.string().min(1)).nullish();

export const httpRouteSchema = resourceSchema(
  z.looseObject({
    parentRefs: z.array(parentReferenceSchema).nullish(),
    hostnames,
    rules: z.array(httpRouteRuleSchema).nullish(),
  }),
);

export const grpcMethodMatchSchema = z.looseObject({
  type: z.enum(["Exact", "RegularExpression"]).nullish(),
  service: z.string().nullish(),
  method: z.string().nullish(),
});

export const grpcRouteMatchSchema = z.looseObject({
  method: grpcMethodMatchSchema.nullish(),
  headers: z.array(headerMatch).nullish(),
});

export const grpcRouteRuleSchema = z.looseObject({
  name: z.string().nullish(),
  matches: z.array(grpcRouteMatchSchema).nullish(),
  filters: z.array(grpcRouteFilterSchema).nullish(),
  backendRefs: z.array(grpcBackendRefSchema).nullish(),
});

export const grpcRouteSchema = resourceSchema(
  z.looseObject({
    parentRefs: z.array(parentReferenceSchema).nullish(),
    hostnames,
    rules: z.array(grpcRouteRuleSchema).nullish(),
  }),
);

export const listenerSchema = z.looseObject({
  name: z.string().min(1),
  hostname: z.string().nullish(),
  port: portNumber,
  protocol: z.string().min(1),
  allowedRoutes: z
    .looseObject({
      namespaces: z
        .looseObject({
          from: z.enum(["All", "Same", "Selector", "None"]).nullish(),
          selector: labelSelector.nullish(),
        })
        .nullish(),
      kinds: z.array(z.looseObject({ group: z.string().nullish(), kind: z.string().min(1) })).nullish(),
    })
    .nullish(),
});

export const gatewaySchema = resourceSchema(
  z.looseObject({
    gatewayClassName: z.string().min(1),
    listeners: z.array(listenerSchema).min(1),
  }),
);

export const gatewayClassSchema = resourceSchema(
  z.looseObject({
    controllerName: z.string().min(1),
    parametersRef: z
      .looseObject({ group: z.string(), kind: z.string(), name: z.string(), namespace: z.string().nullish() })
      .nullish(),
  }),
);

export const referenceGrantSchema = resourceSchema(
  z.looseObject({
    from: z.array(z.looseObject({ group: z.string(), kind: z.string().min(1), namespace: z.string().min(1) })).min(1),
    to: z.array(z.looseObject({ group: z.string(), kind: z.string().min(1), name: z.string().nullish() })).min(1),
  }),
);

export type ParentReference = z.infer<typeof parentReferenceSchema>;
export type BackendObjectReference = z.infer<typeof backendObjectReferenceSchema>;
export type HeaderModifier = z.infer<typeof headerModifierSchema>;
export type RequestMirror = z.infer<typeof requestMirrorSchema>;
export type RequestRedirect = z.infer<typeof requestRedirectSchema>;
export type URLRewrite = z.infer<typeof urlRewriteSchema>;
export type HTTPRouteFilter = z.infer<typeof httpRouteFilterSchema>;
export type GRPCRouteFilter = z.infer<typeof grpcRouteFilterSchema>;
export type HTTPBackendRef = z.infer<typeof httpBackendRefSchema>;
export type GRPCBackendRef = z.infer<typeof grpcBackendRefSchema>;
export type HTTPPathMatch = z.infer<typeof httpPathMatchSchema>;
export type HTTPRouteMatch = z.infer<typeof httpRouteMatchSchema>;
export type HTTPRouteRule = z.infer<typeof httpRouteRuleSchema>;
export type HTTPRoute = z.infer<typeof httpRouteSchema>;
export type GRPCMethodMatch = z.infer<typeof grpcMethodMatchSchema>;
export type GRPCRouteMatch = z.infer<typeof grpcRouteMatchSchema>;
export type GRPCRouteRule = z.infer<typeof grpcRouteRuleSchema>;
export type GRPCRoute = z.infer<typeof grpcRouteSchema>;
export type Listener = z.infer<typeof listenerSchema>;
export type Gateway = z.infer<typeof gatewaySchema>;
export type GatewayClass = z.infer<typeof gatewayClassSchema>;
export type ReferenceGrant = z.infer<typeof referenceGrantSchema>;

export const gatewayApiSchemas: readonly KindSchema[] = [
  { group: GROUP, kind: "GatewayClass", versions: ["v1", "v1beta1"], namespaced: false, schema: gatewayClassSchema },
  { group: GROUP, kind: "Gateway", versions: ["v1", "v1beta1"], namespaced: true, schema: gatewaySchema },
  { group: GROUP, kind: "HTTPRoute", versions: ["v1", "v1beta1"], namespaced: true, schema: httpRouteSchema },
  { group: GROUP, kind: "GRPCRoute", versions: ["v1", "v1alpha2"], namespaced: true, schema: grpcRouteSchema },
  { group: GROUP, kind: "ReferenceGrant", versions: ["v1", "v1beta1", "v1alpha2"], namespaced: true, schema: referenceGrantSchema },
];
