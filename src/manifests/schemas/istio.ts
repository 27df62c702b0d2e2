/**
 * Istio kinds: networking.istio.io (VirtualService, DestinationRule, Gateway,
 * ServiceEntry, Sidecar), security.istio.io (PeerAuthentication,
 * AuthorizationPolicy, RequestAuthentication), and the removed
 * config.istio.io/v1alpha2 RouteRule and DestinationPolicy.
 *
 * Field names and types follow the Istio API reference
 * (istio.io/latest/docs/reference/config/networking/virtual-service/ and
 * siblings). Objects are loose: unknown fields pass through; only wrong types
 * and fields the API marks REQUIRED are violations. Durations stay strings as
 * written (`10s`, `0.5s`, `1m`); Istio percentages (`Percent`) are `{value}`.
 */
import { z } from "zod";
import type { KindSchema } from "./kind-schema.js";
import { labelMap, objectMeta } from "./meta.js";

const NETWORKING = "networking.istio.io";
const SECURITY = "security.istio.io";
const NETWORKING_VERSIONS = ["v1alpha3", "v1beta1", "v1"] as const;
const SECURITY_VERSIONS = ["v1beta1", "v1"] as const;

const duration = z.string();

/**
 * Istio CRDs do not require `spec` (a Sidecar or AuthorizationPolicy without
 * one is valid and meaningful: the latter allows nothing), so unlike
 * `resourceSchema` the spec is optional here.
 */
function istioResource<S extends z.ZodType>(spec: S) {
  return z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta, spec: spec.optional() });
}
const portNumber = z.number().int();
const stringList = z.array(z.string());

/** `exact` | `prefix` | `regex` (RE2); an empty object means "present" where Istio allows it (headers, query params). */
export const istioStringMatch = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
export type IstioStringMatch = z.infer<typeof istioStringMatch>;

/** Percent: a double in [0, 100]. */
export const istioPercent = z.looseObject({ value: z.number().optional() });

export const portSelector = z.looseObject({ number: portNumber.optional() });

export const istioDestination = z.looseObject({
  host: z.string(),
  subset: z.string().optional(),
  port: portSelector.optional(),
});
export type IstioDestination = z.infer<typeof istioDestination>;

const headerOperations = z.looseObject({
  set: z.record(z.string(), z.string()).optional(),
  add: z.record(z.string(), z.string()).optional(),
  remove: stringList.optional(),
});

export const istioHeaders = z.looseObject({
  request: headerOperations.optional(),
  response: headerOperations.optional(),
});
export type IstioHeaders = z.infer<typeof istioHeaders>;

export const httpMatchRequest = z.looseObject({
  name: z.string().optional(),
  uri: istioStringMatch.optional(),
  scheme: istioStringMatch.optional(),
  method: istioStringMatch.optional(),
  authority: istioStringMatch.optional(),
  headers: z.record(z.string(), istioStringMatch).optional(),
  port: portNumber.optional(),
  sourceLabels: labelMap.optional(),
  gateways: stringList.optional(),
  queryParams: z.record(z.string(), istioStringMatch).optional(),
  ignoreUriCase: z.boolean().optional(),
  withoutHeaders: z.record(z.string(), istioStringMatch).optional(),
  sourceNamespace: z.string().optional(),
  statPrefix: z.string().optional(),
});
export type HttpMatchRequest = z.infer<typeof httpMatchRequest>;

/**
 * `destination` is REQUIRED by the API, but istioctl analyze reports a missing
 * one as IST0101 on the VirtualService; keeping it optional keeps the resource
 * in the model so that finding can be made.
 */
export const httpRouteDestination = z.looseObject({
  destination: istioDestination.optional(),
  weight: z.number().int().optional(),
  headers: istioHeaders.optional(),
});

export const httpRedirect = z.looseObject({
  uri: z.string().optional(),
  authority: z.string().optional(),
  port: portNumber.optional(),
  derivePort: z.string().optional(),
  scheme: z.string().optional(),
  redirectCode: z.number().int().optional(),
});

export const httpDirectResponse = z.looseObject({
  status: z.number().int(),
  body: z
    .looseObject({ string: z.string().optional(), bytes: z.string().optional() })
    .optional(),
});

export const httpRewrite = z.looseObject({
  uri: z.string().optional(),
  authority: z.string().optional(),
  uriRegexRewrite: z.looseObject({ match: z.string().optional(), rewrite: z.string().optional() }).optional(),
});

export const httpRetry = z.looseObject({
  attempts: z.number().int().optional(),
  perTryTimeout: duration.optional(),
  retryOn: z.string().optional(),
  retryRemoteLocalities: z.boolean().optional(),
});

export const httpFaultInjection = z.looseObject({
  delay: z
    .looseObject({
      fixedDelay: duration.optional(),
      exponentialDelay: duration.optional(),
      percentage: istioPercent.optional(),
      /** Deprecated integer percentage, still honoured when `percentage` is absent. */
      percent: z.number().int().optional(),
    })
    .optional(),
  abort: z
    .looseObject({
      httpStatus: z.number().int().optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: istioPercent.optional(),
      percent: z.number().int().optional(),
    })
    .optional(),
});

export const httpMirrorPolicy = z.looseObject({
  destination: istioDestination,
  percentage: istioPercent.optional(),
});

export const corsPolicy = z.looseObject({
  allowOrigins: z.array(istioStringMatch).optional(),
  allowOrigin: stringList.optional(),
  allowMethods: stringList.optional(),
  allowHeaders: stringList.optional(),
  exposeHeaders: stringList.optional(),
  maxAge: duration.optional(),
  allowCredentials: z.boolean().optional(),
});

export const httpRoute = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatchRequest).optional(),
  route: z.array(httpRouteDestination).optional(),
  redirect: httpRedirect.optional(),
  directResponse: httpDirectResponse.optional(),
  delegate: z.looseObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  rewrite: httpRewrite.optional(),
  timeout: duration.optional(),
  retries: httpRetry.optional(),
  fault: httpFaultInjection.optional(),
  mirror: istioDestination.optional(),
  mirrorPercentage: istioPercent.optional(),
  /** Deprecated integer form of `mirrorPercentage`. */
  mirrorPercent: z.number().int().optional(),
  mirrors: z.array(httpMirrorPolicy).optional(),
  corsPolicy: corsPolicy.optional(),
  headers: istioHeaders.optional(),
});
export type HttpRoute = z.infer<typeof httpRoute>;

export const routeDestination = z.looseObject({
  destination: istioDestination.optional(),
  weight: z.number().int().optional(),
});

export const l4MatchAttributes = z.looseObject({
  destinationSubnets: stringList.optional(),
  port: portNumber.optional(),
  sourceLabels: labelMap.optional(),
  gateways: stringList.optional(),
  sourceNamespace: z.string().optional(),
  sourceSubnet: z.string().optional(),
});

export const tcpRoute = z.looseObject({
  match: z.array(l4MatchAttributes).optional(),
  route: z.array(routeDestination).optional(),
});
export type TcpRoute = z.infer<typeof tcpRoute>;

export const tlsMatchAttributes = z.looseObject({
  sniHosts: stringList,
  destinationSubnets: stringList.optional(),
  port: portNumber.optional(),
  sourceLabels: labelMap.optional(),
  gateways: stringList.optional(),
  sourceNamespace: z.string().optional(),
});

export const tlsRoute = z.looseObject({
  match: z.array(tlsMatchAttributes),
  route: z.array(routeDestination).optional(),
});
export type TlsRoute = z.infer<typeof tlsRoute>;

export const virtualServiceSpec = z.looseObject({
  hosts: stringList.optional(),
  gateways: stringList.optional(),
  http: z.array(httpRoute).optional(),
  tls: z.array(tlsRoute).optional(),
  tcp: z.array(tcpRoute).optional(),
  exportTo: stringList.optional(),
});
export const virtualServiceSchema = istioResource(virtualServiceSpec);
export type VirtualService = z.infer<typeof virtualServiceSchema>;

const tlsSettings = z.looseObject({
  mode: z.string().optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: stringList.optional(),
  sni: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});

const loadBalancerSettings = z.looseObject({
  simple: z.string().optional(),
  consistentHash: z.looseObject({}).optional(),
  localityLbSetting: z.looseObject({}).optional(),
  warmupDurationSecs: duration.optional(),
});

const connectionPoolSettings = z.looseObject({
  tcp: z
    .looseObject({
      maxConnections: z.number().int().optional(),
      connectTimeout: duration.optional(),
      maxConnectionDuration: duration.optional(),
      idleTimeout: duration.optional(),
    })
    .optional(),
  http: z
    .looseObject({
      http1MaxPendingRequests: z.number().int().optional(),
      http2MaxRequests: z.number().int().optional(),
      maxRequestsPerConnection: z.number().int().optional(),
      maxRetries: z.number().int().optional(),
      idleTimeout: duration.optional(),
      h2UpgradePolicy: z.string().optional(),
      useClientProtocol: z.boolean().optional(),
      maxConcurrentStreams: z.number().int().optional(),
    })
    .optional(),
});

const outlierDetection = z.looseObject({
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: z.number().int().optional(),
  consecutiveGatewayErrors: z.number().int().optional(),
  consecutive5xxErrors: z.number().int().optional(),
  /** Deprecated name of consecutiveGatewayErrors / consecutive5xxErrors in v1alpha3. */
  consecutiveErrors: z.number().int().optional(),
  interval: duration.optional(),
  baseEjectionTime: duration.optional(),
  maxEjectionPercent: z.number().int().optional(),
  minHealthPercent: z.number().int().optional(),
});

const trafficPolicyFields = {
  loadBalancer: loadBalancerSettings.optional(),
  connectionPool: connectionPoolSettings.optional(),
  outlierDetection: outlierDetection.optional(),
  tls: tlsSettings.optional(),
};

export const trafficPolicy = z.looseObject({
  ...trafficPolicyFields,
  portLevelSettings: z.array(z.looseObject({ port: portSelector.optional(), ...trafficPolicyFields })).optional(),
  tunnel: z.looseObject({}).optional(),
  proxyProtocol: z.looseObject({}).optional(),
});
export type TrafficPolicy = z.infer<typeof trafficPolicy>;

export const destinationRuleSubset = z.looseObject({
  name: z.string(),
  labels: labelMap.optional(),
  trafficPolicy: trafficPolicy.optional(),
});
export type DestinationRuleSubset = z.infer<typeof destinationRuleSubset>;

export const workloadSelector = z.looseObject({ matchLabels: labelMap.optional() });

export const destinationRuleSpec = z.looseObject({
  host: z.string(),
  trafficPolicy: trafficPolicy.optional(),
  subsets: z.array(destinationRuleSubset).optional(),
  exportTo: stringList.optional(),
  workloadSelector: workloadSelector.optional(),
});
export const destinationRuleSchema = istioResource(destinationRuleSpec);
export type DestinationRule = z.infer<typeof destinationRuleSchema>;

export const gatewayServer = z.looseObject({
  port: z.looseObject({
    number: portNumber,
    protocol: z.string(),
    name: z.string().optional(),
    targetPort: portNumber.optional(),
  }),
  bind: z.string().optional(),
  hosts: stringList,
  tls: z
    .looseObject({
      httpsRedirect: z.boolean().optional(),
      mode: z.string().optional(),
      credentialName: z.string().optional(),
      serverCertificate: z.string().optional(),
      privateKey: z.string().optional(),
      caCertificates: z.string().optional(),
      subjectAltNames: stringList.optional(),
      minProtocolVersion: z.string().optional(),
      maxProtocolVersion: z.string().optional(),
      cipherSuites: stringList.optional(),
    })
    .optional(),
  name: z.string().optional(),
});

export const gatewaySpec = z.looseObject({
  servers: z.array(gatewayServer),
  selector: labelMap.optional(),
});
export const gatewaySchema = istioResource(gatewaySpec);
export type Gateway = z.infer<typeof gatewaySchema>;

export const serviceEntrySpec = z.looseObject({
  hosts: stringList,
  addresses: stringList.optional(),
  ports: z
    .array(
      z.looseObject({
        number: portNumber,
        protocol: z.string().optional(),
        name: z.string().optional(),
        targetPort: portNumber.optional(),
      }),
    )
    .optional(),
  location: z.string().optional(),
  resolution: z.string().optional(),
  endpoints: z
    .array(
      z.looseObject({
        address: z.string().optional(),
        ports: z.record(z.string(), portNumber).optional(),
        labels: labelMap.optional(),
        network: z.string().optional(),
        locality: z.string().optional(),
        weight: z.number().int().optional(),
        serviceAccount: z.string().optional(),
      }),
    )
    .optional(),
  workloadSelector: z.looseObject({ labels: labelMap.optional() }).optional(),
  exportTo: stringList.optional(),
  subjectAltNames: stringList.optional(),
});
export const serviceEntrySchema = istioResource(serviceEntrySpec);
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;

const istioEgressListener = z.looseObject({
  port: z.looseObject({ number: portNumber.optional(), protocol: z.string().optional(), name: z.string().optional() }).optional(),
  bind: z.string().optional(),
  captureMode: z.string().optional(),
  hosts: stringList,
});

export const sidecarSpec = z.looseObject({
  workloadSelector: z.looseObject({ labels: labelMap.optional() }).optional(),
  ingress: z
    .array(
      z.looseObject({
        port: z.looseObject({ number: portNumber.optional(), protocol: z.string().optional(), name: z.string().optional() }),
        bind: z.string().optional(),
        captureMode: z.string().optional(),
        defaultEndpoint: z.string().optional(),
      }),
    )
    .optional(),
  egress: z.array(istioEgressListener).optional(),
  outboundTrafficPolicy: z.looseObject({ mode: z.string().optional() }).optional(),
});
export const sidecarSchema = istioResource(sidecarSpec);
export type Sidecar = z.infer<typeof sidecarSchema>;

/** Gateway API style policy attachment (`targetRef` / `targetRefs`), Istio 1.22+. */
export const policyTargetReference = z.looseObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});
export type PolicyTargetReference = z.infer<typeof policyTargetReference>;

const mtlsMode = z.looseObject({ mode: z.string().optional() });

export const peerAuthenticationSpec = z.looseObject({
  selector: workloadSelector.optional(),
  mtls: mtlsMode.optional(),
  portLevelMtls: z.record(z.string(), mtlsMode).optional(),
});
export const peerAuthenticationSchema = istioResource(peerAuthenticationSpec);
export type PeerAuthentication = z.infer<typeof peerAuthenticationSchema>;

export const authorizationSource = z.looseObject({
  principals: stringList.optional(),
  notPrincipals: stringList.optional(),
  requestPrincipals: stringList.optional(),
  notRequestPrincipals: stringList.optional(),
  namespaces: stringList.optional(),
  notNamespaces: stringList.optional(),
  ipBlocks: stringList.optional(),
  notIpBlocks: stringList.optional(),
  remoteIpBlocks: stringList.optional(),
  notRemoteIpBlocks: stringList.optional(),
  serviceAccounts: stringList.optional(),
  notServiceAccounts: stringList.optional(),
});
export type AuthorizationSource = z.infer<typeof authorizationSource>;

export const authorizationOperation = z.looseObject({
  hosts: stringList.optional(),
  notHosts: stringList.optional(),
  /** Ports are strings in the AuthorizationPolicy API. */
  ports: stringList.optional(),
  notPorts: stringList.optional(),
  methods: stringList.optional(),
  notMethods: stringList.optional(),
  paths: stringList.optional(),
  notPaths: stringList.optional(),
});
export type AuthorizationOperation = z.infer<typeof authorizationOperation>;

export const authorizationRule = z.looseObject({
  from: z.array(z.looseObject({ source: authorizationSource.optional() })).optional(),
  to: z.array(z.looseObject({ operation: authorizationOperation.optional() })).optional(),
  when: z
    .array(z.looseObject({ key: z.string(), values: stringList.optional(), notValues: stringList.optional() }))
    .optional(),
});
export type AuthorizationRule = z.infer<typeof authorizationRule>;

export const authorizationPolicySpec = z.looseObject({
  selector: workloadSelector.optional(),
  targetRef: policyTargetReference.optional(),
  targetRefs: z.array(policyTargetReference).optional(),
  rules: z.array(authorizationRule).optional(),
  action: z.enum(["ALLOW", "DENY", "AUDIT", "CUSTOM"]).optional(),
  provider: z.looseObject({ name: z.string().optional() }).optional(),
});
export const authorizationPolicySchema = istioResource(authorizationPolicySpec);
export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;

export const requestAuthenticationSpec = z.looseObject({
  selector: workloadSelector.optional(),
  targetRef: policyTargetReference.optional(),
  targetRefs: z.array(policyTargetReference).optional(),
  jwtRules: z
    .array(
      z.looseObject({
        issuer: z.string(),
        audiences: stringList.optional(),
        jwksUri: z.string().optional(),
        jwks: z.string().optional(),
        fromHeaders: z.array(z.looseObject({ name: z.string(), prefix: z.string().optional() })).optional(),
        fromParams: stringList.optional(),
        outputPayloadToHeader: z.string().optional(),
        forwardOriginalToken: z.boolean().optional(),
        outputClaimToHeaders: z.array(z.looseObject({ header: z.string(), claim: z.string() })).optional(),
        timeout: duration.optional(),
      }),
    )
    .optional(),
});
export const requestAuthenticationSchema = istioResource(requestAuthenticationSpec);
export type RequestAuthentication = z.infer<typeof requestAuthenticationSchema>;

/** config.istio.io/v1alpha2 RouteRule (Istio 0.x): parsed only to explain the migration. */
const v1alpha2Destination = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  domain: z.string().optional(),
  service: z.string().optional(),
  labels: labelMap.optional(),
});

export const routeRuleSpec = z.looseObject({
  destination: v1alpha2Destination.optional(),
  precedence: z.number().int().optional(),
  match: z
    .looseObject({
      source: v1alpha2Destination.optional(),
      request: z.looseObject({ headers: z.record(z.string(), istioStringMatch).optional() }).optional(),
    })
    .optional(),
  route: z
    .array(z.looseObject({ labels: labelMap.optional(), destination: v1alpha2Destination.optional(), weight: z.number().int().optional() }))
    .optional(),
  redirect: z.looseObject({ uri: z.string().optional(), authority: z.string().optional() }).optional(),
  rewrite: z.looseObject({ uri: z.string().optional(), authority: z.string().optional() }).optional(),
  httpReqTimeout: z.looseObject({}).optional(),
  httpReqRetries: z.looseObject({}).optional(),
  httpFault: z.looseObject({}).optional(),
  mirror: v1alpha2Destination.optional(),
  appendHeaders: z.record(z.string(), z.string()).optional(),
});
export const routeRuleSchema = istioResource(routeRuleSpec);
export type RouteRule = z.infer<typeof routeRuleSchema>;

export const destinationPolicySpec = z.looseObject({
  destination: v1alpha2Destination.optional(),
  source: v1alpha2Destination.optional(),
  loadBalancing: z.looseObject({ name: z.string().optional() }).optional(),
  circuitBreaker: z.looseObject({}).optional(),
});
export const destinationPolicySchema = istioResource(destinationPolicySpec);
export type DestinationPolicy = z.infer<typeof destinationPolicySchema>;

export const ROUTE_RULE_MIGRATION =
  "config.istio.io/v1alpha2 RouteRule was replaced in Istio 0.8 and removed in 1.0. Write a networking.istio.io/v1 VirtualService whose " +
  "`hosts` lists the RouteRule's `destination.name`; turn each RouteRule into one entry of `spec.http`, ordered by " +
  "descending `precedence`: `match.request.headers` becomes `match[].headers` (`uri` becomes `match[].uri`), " +
  "each `route[]` entry becomes `route[].destination` with `host` = destination name and `subset` naming a " +
  "DestinationRule subset that carries the old `labels`, with the same `weight`; `httpReqTimeout` becomes " +
  "`timeout`, `httpReqRetries` becomes `retries`, `httpFault` becomes `fault`.";

export const DESTINATION_POLICY_MIGRATION =
  "config.istio.io/v1alpha2 DestinationPolicy was replaced in Istio 0.8 and removed in 1.0. Write a networking.istio.io/v1 " +
  "DestinationRule with `host` = the policy's `destination.name`; `loadBalancing` becomes " +
  "`trafficPolicy.loadBalancer`, `circuitBreaker` becomes `trafficPolicy.connectionPool` and " +
  "`trafficPolicy.outlierDetection`; policies scoped to `destination.labels` become a `subsets` entry with those " +
  "labels and its own `trafficPolicy`.";

export const istioSchemas: readonly KindSchema[] = [
  { group: NETWORKING, kind: "VirtualService", versions: NETWORKING_VERSIONS, namespaced: true, schema: virtualServiceSchema },
  { group: NETWORKING, kind: "DestinationRule", versions: NETWORKING_VERSIONS, namespaced: true, schema: destinationRuleSchema },
  { group: NETWORKING, kind: "Gateway", versions: NETWORKING_VERSIONS, namespaced: true, schema: gatewaySchema },
  { group: NETWORKING, kind: "ServiceEntry", versions: NETWORKING_VERSIONS, namespaced: true, schema: serviceEntrySchema },
  { group: NETWORKING, kind: "Sidecar", versions: NETWORKING_VERSIONS, namespaced: true, schema: sidecarSchema },
  { group: SECURITY, kind: "PeerAuthentication", versions: SECURITY_VERSIONS, namespaced: true, schema: peerAuthenticationSchema },
  { group: SECURITY, kind: "AuthorizationPolicy", versions: SECURITY_VERSIONS, namespaced: true, schema: authorizationPolicySchema },
  { group: SECURITY, kind: "RequestAuthentication", versions: SECURITY_VERSIONS, namespaced: true, schema: requestAuthenticationSchema },
  {
    group: "config.istio.io",
    kind: "RouteRule",
    versions: [],
    removedVersions: ["v1alpha2"],
    migration: ROUTE_RULE_MIGRATION,
    namespaced: true,
    schema: routeRuleSchema,
  },
  {
    group: "config.istio.io",
    kind: "DestinationPolicy",
    versions: [],
    removedVersions: ["v1alpha2"],
    migration: DESTINATION_POLICY_MIGRATION,
    namespaced: true,
    schema: destinationPolicySchema,
  },
];
