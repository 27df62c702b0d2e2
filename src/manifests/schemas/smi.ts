/**
 * SMI (split.smi-spec.io, specs.smi-spec.io, access.smi-spec.io) and Open
 * Service Mesh (config.openservicemesh.io, policy.openservicemesh.io) kinds.
 *
 * Shapes follow the SMI spec documents of each version and the CRDs OSM
 * installs (cmd/osm-bootstrap/crds). Where a version changed the shape
 * (TrafficSplit v1alpha1 weights are quantities; HTTPRouteGroup and
 * TrafficTarget moved their fields under `spec` in later versions) the
 * versions get separate entries. Optional fields accept null, as the API
 * server's JSON decoding treats `field:` with no value as unset.
 */
import { z } from "zod";
import type { KindSchema } from "./kind-schema.js";
import { objectMeta, resourceSchema } from "./meta.js";

const SPLIT = "split.smi-spec.io";
const SPECS = "specs.smi-spec.io";
const ACCESS = "access.smi-spec.io";
const OSM_CONFIG = "config.openservicemesh.io";
const OSM_POLICY = "policy.openservicemesh.io";

const portNumber = z.number().int().min(1).max(65535);

/**
 * A non-negative Kubernetes quantity (apimachinery `resource.Quantity`):
 * a decimal number with an optional binary (Ki..Ei), decimal (n u m k M G T P E)
 * or exponent (e3, E-2) suffix. `500m` is 0.5, `1` is 1.
 */
export const QUANTITY_PATTERN = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

const quantityWeight = z.union([
  z.number().nonnegative(),
  z.string().regex(QUANTITY_PATTERN, "must be a non-negative Kubernetes quantity such as 500m or 1"),
]);

/** A document without `spec` (SMI v1alpha1/v1alpha2 put their fields at the top level). */
function topLevel<F extends z.core.$ZodLooseShape>(fields: F) {
  return z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta, ...fields });
}

// ---------------------------------------------------------------- traffic split

const splitBackendQuantity = z.looseObject({ service: z.string().min(1), weight: quantityWeight });

/** SMI traffic-split v1alpha2+: "Weights must be whole numbers". */
const splitBackend = z.looseObject({ service: z.string().min(1), weight: z.number().int().min(0) });

/** split.smi-spec.io v1alpha3/v1alpha4 `spec.matches`: references to HTTPRouteGroups in the split's namespace. */
const splitMatch = z.looseObject({
  kind: z.literal("HTTPRouteGroup"),
  name: z.string().min(1),
  apiGroup: z.string().nullish(),
  /** Optional names of matches inside the group; all of the group's matches when absent. */
  matches: z.array(z.string()).nullish(),
});

export const trafficSplitV1alpha1Schema = resourceSchema(
  z.looseObject({ service: z.string().min(1), backends: z.array(splitBackendQuantity) }),
);
export type TrafficSplitV1alpha1 = z.infer<typeof trafficSplitV1alpha1Schema>;

export const trafficSplitSchema = resourceSchema(
  z.looseObject({
    service: z.string().min(1),
    matches: z.array(splitMatch).nullish(),
    backends: z.array(splitBackend),
  }),
);
export type TrafficSplit = z.infer<typeof trafficSplitSchema>;
export type TrafficSplitBackend = TrafficSplit["spec"]["backends"][number];
export type TrafficSplitMatch = NonNullable<TrafficSplit["spec"]["matches"]>[number];

/** Any served or removed version: v1alpha1 weights may be quantity strings. */
export type AnyTrafficSplit = TrafficSplit | TrafficSplitV1alpha1;

// ---------------------------------------------------------------- traffic specs

/** The HTTP methods OSM's HTTPRouteGroup CRD accepts, plus `*` for any. */
export const httpRouteMethods = ["*", "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

/**
 * Header filters: the SMI spec writes them as a map (`user-agent: ".*Android.*"`);
 * OSM's CRD and docs write a list of single-entry maps. Both mean AND of all entries.
 */
const httpHeaderFilters = z.union([z.record(z.string(), z.string()), z.array(z.record(z.string(), z.string()))]);

export const httpMatchSchema = z.looseObject({
  name: z.string().min(1),
  pathRegex: z.string().nullish(),
  methods: z.array(z.enum(httpRouteMethods)).nullish(),
  headers: httpHeaderFilters.nullish(),
});
export type HttpRouteGroupMatch = z.infer<typeof httpMatchSchema>;

/** specs.smi-spec.io v1alpha1/v1alpha2: `matches` at the top level. */
export const httpRouteGroupV1alpha1Schema = topLevel({ matches: z.array(httpMatchSchema) });
export type HttpRouteGroupV1alpha1 = z.infer<typeof httpRouteGroupV1alpha1Schema>;

/** specs.smi-spec.io v1alpha3/v1alpha4: `spec.matches`. */
export const httpRouteGroupSchema = resourceSchema(z.looseObject({ matches: z.array(httpMatchSchema) }));
export type HttpRouteGroup = z.infer<typeof httpRouteGroupSchema>;

export type AnyHttpRouteGroup = HttpRouteGroup | HttpRouteGroupV1alpha1;

const portMatches = z.looseObject({ ports: z.array(portNumber).nullish() });

/** TCPRoute: v1alpha1/v1alpha2 have no fields; v1alpha3 an empty spec; v1alpha4 `spec.matches.ports`. */
export const tcpRouteSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: objectMeta,
  spec: z.looseObject({ matches: portMatches.nullish() }).nullish(),
});
export type TcpRoute = z.infer<typeof tcpRouteSchema>;

export const udpRouteSchema = resourceSchema(z.looseObject({ matches: portMatches.nullish() }));
export type UdpRoute = z.infer<typeof udpRouteSchema>;

// ---------------------------------------------------------------- traffic access

const identityRef = z.looseObject({ kind: z.string(), name: z.string().min(1), namespace: z.string().nullish() });

const trafficTargetRule = z.looseObject({
  kind: z.enum(["HTTPRouteGroup", "TCPRoute", "UDPRoute"]),
  name: z.string().min(1),
  matches: z.array(z.string()).nullish(),
});
export type TrafficTargetRule = z.infer<typeof trafficTargetRule>;

/** access.smi-spec.io v1alpha1: destination (with port), `specs` and `sources` at the top level. */
export const trafficTargetV1alpha1Schema = topLevel({
  destination: identityRef.extend({ port: portNumber.nullish() }),
  specs: z.array(trafficTargetRule).nullish(),
  sources: z.array(identityRef).nullish(),
});
export type TrafficTargetV1alpha1 = z.infer<typeof trafficTargetV1alpha1Schema>;

/** v1alpha2 (destination.port) and v1alpha3 (no port): the rest of the shape is the same. */
export const trafficTargetSchema = resourceSchema(
  z.looseObject({
    destination: identityRef.extend({ port: portNumber.nullish() }),
    rules: z.array(trafficTargetRule).nullish(),
    sources: z.array(identityRef).nullish(),
  }),
);
export type TrafficTarget = z.infer<typeof trafficTargetSchema>;

export type AnyTrafficTarget = TrafficTarget | TrafficTargetV1alpha1;

// ---------------------------------------------------------------- OSM

export const meshConfigSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: objectMeta,
  spec: z
    .looseObject({
      traffic: z
        .looseObject({
          enablePermissiveTrafficPolicyMode: z.boolean().nullish(),
          enableEgress: z.boolean().nullish(),
          outboundPortExclusionList: z.array(portNumber).nullish(),
          inboundPortExclusionList: z.array(portNumber).nullish(),
          outboundIPRangeExclusionList: z.array(z.string()).nullish(),
        })
        .nullish(),
      featureFlags: z
        .looseObject({
          enableEgressPolicy: z.boolean().nullish(),
          enableIngressBackendPolicy: z.boolean().nullish(),
          enableRetryPolicy: z.boolean().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type MeshConfig = z.infer<typeof meshConfigSchema>;

const namedPort = z.looseObject({ number: portNumber, protocol: z.string().min(1) });

const resourceRef = z.looseObject({ apiGroup: z.string(), kind: z.string(), name: z.string().min(1) });

export const egressSchema = resourceSchema(
  z.looseObject({
    sources: z.array(z.looseObject({ kind: z.literal("ServiceAccount"), name: z.string().min(1), namespace: z.string().min(1) })),
    hosts: z.array(z.string()).nullish(),
    ipAddresses: z.array(z.string()).nullish(),
    ports: z.array(namedPort),
    matches: z.array(resourceRef).nullish(),
  }),
);
export type Egress = z.infer<typeof egressSchema>;

export const ingressBackendSchema = resourceSchema(
  z.looseObject({
    backends: z.array(
      z.looseObject({
        name: z.string().min(1),
        port: namedPort,
        tls: z.looseObject({ skipClientCertValidation: z.boolean(), sniHosts: z.array(z.string()).nullish() }).nullish(),
      }),
    ),
    sources: z.array(identityRef),
    matches: z.array(resourceRef).nullish(),
  }),
);
export type IngressBackend = z.infer<typeof ingressBackendSchema>;

const namespacedRef = z.looseObject({ kind: z.string(), name: z.string().min(1), namespace: z.string().min(1) });

export const retrySchema = resourceSchema(
  z.looseObject({
    source: namespacedRef,
    destinations: z.array(namespacedRef),
    retryPolicy: z.looseObject({
      retryOn: z.string(),
      perTryTimeout: z.string(),
      numRetries: z.number().int().min(0),
      retryBackoffBaseInterval: z.string(),
    }),
  }),
);
export type Retry = z.infer<typeof retrySchema>;

export const upstreamTrafficSettingSchema = resourceSchema(
  z.looseObject({
    host: z.string().min(1),
    connectionSettings: z.looseObject({}).nullish(),
    rateLimit: z.looseObject({}).nullish(),
    httpRoutes: z.array(z.looseObject({ path: z.string().min(1).nullish() })).nullish(),
  }),
);
export type UpstreamTrafficSetting = z.infer<typeof upstreamTrafficSettingSchema>;

// ---------------------------------------------------------------- catalogue

export const smiSchemas: readonly KindSchema[] = [
  {
    group: SPLIT,
    kind: "TrafficSplit",
    versions: ["v1alpha4"],
    removedVersions: ["v1alpha2", "v1alpha3"],
    migration:
      "Change apiVersion to split.smi-spec.io/v1alpha4; spec.service, spec.backends (whole-number weights) and " +
      "spec.matches keep their shape. Note that OSM v1 serves only split.smi-spec.io/v1alpha2.",
    namespaced: true,
    schema: trafficSplitSchema,
  },
  {
    group: SPLIT,
    kind: "TrafficSplit",
    versions: [],
    removedVersions: ["v1alpha1"],
    migration:
      "Change apiVersion to split.smi-spec.io/v1alpha4 and write every spec.backends[].weight as a whole number " +
      "instead of a quantity, scaling all of them by the same factor (500m and 1 become 500 and 1000); only the " +
      "ratios between weights matter.",
    namespaced: true,
    schema: trafficSplitV1alpha1Schema,
  },
  {
    group: SPECS,
    kind: "HTTPRouteGroup",
    versions: ["v1alpha4"],
    removedVersions: ["v1alpha3"],
    migration: "Change apiVersion to specs.smi-spec.io/v1alpha4; spec.matches keeps its shape.",
    namespaced: true,
    schema: httpRouteGroupSchema,
  },
  {
    group: SPECS,
    kind: "HTTPRouteGroup",
    versions: [],
    removedVersions: ["v1alpha1", "v1alpha2"],
    migration:
      "Change apiVersion to specs.smi-spec.io/v1alpha4 and move the top-level `matches` list under `spec:` " +
      "(spec.matches); each match keeps name, pathRegex, methods and headers.",
    namespaced: true,
    schema: httpRouteGroupV1alpha1Schema,
  },
  {
    group: SPECS,
    kind: "TCPRoute",
    versions: ["v1alpha4"],
    removedVersions: ["v1alpha1", "v1alpha2", "v1alpha3"],
    migration:
      "Change apiVersion to specs.smi-spec.io/v1alpha4 and list the allowed ports under spec.matches.ports " +
      "(an empty or absent list allows every port of the destination service).",
    namespaced: true,
    schema: tcpRouteSchema,
  },
  {
    group: SPECS,
    kind: "UDPRoute",
    versions: ["v1alpha4"],
    namespaced: true,
    schema: udpRouteSchema,
  },
  {
    group: ACCESS,
    kind: "TrafficTarget",
    versions: ["v1alpha3"],
    removedVersions: ["v1alpha2"],
    migration:
      "Change apiVersion to access.smi-spec.io/v1alpha3 and remove spec.destination.port: allow ports with a " +
      "TCPRoute rule (spec.matches.ports) instead.",
    namespaced: true,
    schema: trafficTargetSchema,
  },
  {
    group: ACCESS,
    kind: "TrafficTarget",
    versions: [],
    removedVersions: ["v1alpha1"],
    migration:
      "Change apiVersion to access.smi-spec.io/v1alpha3, move destination, sources and the list of routes under " +
      "`spec:`, rename `specs` to `rules`, and replace destination.port with a TCPRoute rule listing that port.",
    namespaced: true,
    schema: trafficTargetV1alpha1Schema,
  },
  {
    group: OSM_CONFIG,
    kind: "MeshConfig",
    versions: ["v1alpha1", "v1alpha2", "v1alpha3"],
    namespaced: true,
    schema: meshConfigSchema,
  },
  { group: OSM_POLICY, kind: "Egress", versions: ["v1alpha1"], namespaced: true, schema: egressSchema },
  { group: OSM_POLICY, kind: "IngressBackend", versions: ["v1alpha1"], namespaced: true, schema: ingressBackendSchema },
  {
    group: OSM_POLICY,
    kind: "UpstreamTrafficSetting",
    versions: ["v1alpha1"],
    namespaced: true,
    schema: upstreamTrafficSettingSchema,
  },
  { group: OSM_POLICY, kind: "Retry", versions: ["v1alpha1"], namespaced: true, schema: retrySchema },
];
