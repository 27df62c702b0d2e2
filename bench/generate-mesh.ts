/**
 * Synthetic mesh repositories for the benchmark: N services, each with the
 * objects a real team keeps in git (Service, ServiceAccount, a stable and a
 * canary Deployment, a DestinationRule with subsets and a VirtualService with
 * header, prefix and weighted rules), plus a share of SMI TrafficSplits,
 * Gateway API HTTPRoutes, Ingresses and mesh policies.
 *
 * Deterministic: the same N and seed give the same bytes. No clock, no
 * Math.random; a seeded PRNG (mulberry32) decides the variations.
 */
import type { SourceFile } from "../src/manifests/types.js";

export interface GenerateOptions {
  /** PRNG seed; a different seed gives a different but equally shaped repository. */
  seed?: number;
  /** Services per namespace. */
  servicesPerNamespace?: number;
}

/** What the generator wrote, for tests and for the benchmark's table. */
export interface GeneratedCounts {
  services: number;
  namespaces: number;
  files: number;
  bytes: number;
  kinds: Record<string, number>;
}

export interface GeneratedRepo {
  files: SourceFile[];
  counts: GeneratedCounts;
}

const defaultSeed = 20240611;
const labels = (team: string) => `labels:\n    owner: ${team}-oncall\n    team: ${team}`;

/** mulberry32: small, fast, good enough to vary synthetic manifests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (i: number, width: number) => String(i).padStart(width, "0");

/** Shares of services that get the optional APIs, as every k-th service (deterministic, evenly spread). */
const every = { httpRoute: 8, ingress: 12, authorization: 4 } as const;

/**
 * Every fifth namespace (the second of each five) is also monitored by OSM, and half of its
 * services are split with SMI TrafficSplits there, where they take effect: 10% of the services.
 */
const osmNamespace = (n: number) => n % 5 === 1;
const smiSplit = (i: number, perNs: number) => osmNamespace(Math.floor(i / perNs)) && i % perNs < perNs / 2;

export function generateMeshRepo(services: number, options: GenerateOptions = {}): GeneratedRepo {
  const random = prng(options.seed ?? defaultSeed);
  const perNs = options.servicesPerNamespace ?? 10;
  const width = Math.max(3, String(services).length);
  const namespaces = Math.max(1, Math.ceil(services / perNs));
  const files: SourceFile[] = [];
  const kinds: Record<string, number> = {};
  const count = (kind: string, n = 1) => (kinds[kind] = (kinds[kind] ?? 0) + n);

  files.push({ path: "meshplan.yaml", content: "manifests: [mesh]\npolicies: ['@default']\n" });

  // The shared north-south gateway the HTTPRoutes attach to.
  files.push({
    path: "mesh/ingress/gateway.yaml",
    content: `apiVersion: v1
kind: Namespace
metadata:
  name: ingress
  labels:
    istio-injection: enabled
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: ingress
  ${labels("platform")}
spec:
  gatewayClassName: istio
  listeners:
    - name: http
      hostname: "*.shop.example.com"
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: All
`,
  });
  count("Namespace");
  count("Gateway");

  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${pad(n, width - 1)}`;
    const prod = n % 3 !== 2;
    const osm = osmNamespace(n);
    files.push({
      path: `mesh/${ns}/namespace.yaml`,
      content: `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    istio-injection: enabled
    env: ${prod ? "prod" : "staging"}${osm ? "\n    openservicemesh.io/monitored-by: osm" : ""}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${ns}
  ${labels(ns)}
spec:
  mtls:
    mode: STRICT
`,
    });
    count("Namespace");
    count("PeerAuthentication");
  }

  for (let i = 0; i < services; i++) {
    const ns = `team-${pad(Math.floor(i / perNs), width - 1)}`;
    const svc = `svc-${pad(i, width)}`;
    const port = 8000 + (i % 100);
    const canary = 5 + Math.floor(random() * 4) * 5; // 5..20 %
    const timeout = 2 + Math.floor(random() * 8);
    const attempts = 1 + Math.floor(random() * 3);
    const apiVersion = 1 + Math.floor(random() * 3);
    const docs: string[] = [];

    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${svc}
  namespace: ${ns}
  labels:
    app: ${svc}
spec:
  selector:
    app: ${svc}
  ports:
    - name: http
      port: ${port}
      targetPort: ${port}`);
    docs.push(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${svc}
  namespace: ${ns}`);
    for (const version of ["v1", "v2"]) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${svc}-${version}
  namespace: ${ns}
  labels:
    app: ${svc}
    version: ${version}
spec:
  replicas: ${version === "v1" ? 3 : 1}
  selector:
    matchLabels:
      app: ${svc}
      version: ${version}
  template:
    metadata:
      labels:
        app: ${svc}
        version: ${version}
    spec:
      serviceAccountName: ${svc}
      containers:
        - name: app
          image: registry.example.com/${ns}/${svc}:${version}.${apiVersion}.0
          ports:
            - containerPort: ${port}`);
    }
    count("Service");
    count("ServiceAccount");
    count("Deployment", 2);
    docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${svc}
  namespace: ${ns}
  ${labels(ns)}
spec:
  host: ${svc}
  trafficPolicy:
    connectionPool:
      http:
        http1MaxPendingRequests: 100
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${svc}
  namespace: ${ns}
  ${labels(ns)}
spec:
  hosts:
    - ${svc}
  http:
    - name: canary-testers
      match:
        - headers:
            x-canary:
              exact: "true"
      route:
        - destination:
            host: ${svc}
            subset: v2
    - name: api-v${apiVersion}
      match:
        - uri:
            prefix: /api/v${apiVersion}/
      route:
        - destination:
            host: ${svc}
            subset: v1
      timeout: ${timeout}s
      retries:
        attempts: ${attempts}
        perTryTimeout: 1s
    - name: default
      route:
        - destination:
            host: ${svc}
            subset: v1
          weight: ${100 - canary}
        - destination:
            host: ${svc}
            subset: v2
          weight: ${canary}`);
    count("DestinationRule");
    count("VirtualService");

    if (smiSplit(i, perNs)) {
      // SMI: a root service split over per-version backend services.
      for (const version of ["v1", "v2"]) {
        docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${svc}-${version}
  namespace: ${ns}
  labels:
    app: ${svc}
spec:
  selector:
    app: ${svc}
    version: ${version}
  ports:
    - name: http
      port: ${port}`);
      }
      count("Service", 2);
      docs.push(`apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: ${svc}-split
  namespace: ${ns}
  ${labels(ns)}
spec:
  service: ${svc}-v1
  backends:
    - service: ${svc}-v1
      weight: ${100 - canary}
    - service: ${svc}-v2
      weight: ${canary}`);
      count("TrafficSplit");
    }

    if (i % every.httpRoute === 5) {
      docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${svc}-public
  namespace: ${ns}
  ${labels(ns)}
spec:
  parentRefs:
    - name: public
      namespace: ingress
  hostnames:
    - ${svc}.shop.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /api
          headers:
            - name: x-beta
              value: "1"
      backendRefs:
        - name: ${svc}
          port: ${port}
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: ${svc}
          port: ${port}`);
      count("HTTPRoute");
    }

    if (i % every.ingress === 7) {
      docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${svc}
  namespace: ${ns}
  ${labels(ns)}
spec:
  ingressClassName: nginx
  rules:
    - host: ${svc}.apps.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${svc}
                port:
                  number: ${port}`);
      count("Ingress");
    }

    if (i % every.authorization === 1) {
      const caller = `svc-${pad(i - 1, width)}`;
      docs.push(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${svc}-callers
  namespace: ${ns}
  ${labels(ns)}
spec:
  selector:
    matchLabels:
      app: ${svc}
  action: ALLOW
  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/${ns}/sa/${caller}
      to:
        - operation:
            methods: [GET, POST]
            paths: ["/api/*"]`);
      count("AuthorizationPolicy");
    }

    files.push({ path: `mesh/${ns}/${svc}.yaml`, content: `# ${svc}: generated by bench/generate-mesh.ts\n${docs.join("\n---\n")}\n` });
  }

  let bytes = 0;
  for (const f of files) bytes += Buffer.byteLength(f.content as string);
  return { files, counts: { services, namespaces, files: files.length, bytes, kinds } };
}

/**
 * The head of a pull request against `base`: `share` of the service files
 * (at least one) move 5 more points of traffic to the canary and tighten a
 * timeout. Which files change is decided by the seed, not by the clock.
 */
export function pullRequestOf(base: readonly SourceFile[], share = 0.01, seed = defaultSeed + 1): { files: SourceFile[]; changed: string[] } {
  const random = prng(seed);
  const candidates = base.filter((f) => /\/svc-\d+\.yaml$/.test(f.path)).map((f) => f.path);
  const want = Math.max(1, Math.round(candidates.length * share));
  const chosen = new Set<string>();
  while (chosen.size < want && chosen.size < candidates.length) chosen.add(candidates[Math.floor(random() * candidates.length)]!);
  const files = base.map((f) => {
    if (!chosen.has(f.path)) return f;
    const text = f.content as string;
    const changed = text
      .replace(/(subset: v1\n {10}weight: )(\d+)/, (_, head: string, w: string) => `${head}${Number(w) - 5}`)
      .replace(/(subset: v2\n {10}weight: )(\d+)/, (_, head: string, w: string) => `${head}${Number(w) + 5}`)
      .replace(/timeout: (\d+)s/, (_, t: string) => `timeout: ${Math.max(1, Number(t) - 1)}s`);
    return { path: f.path, content: changed };
  });
  return { files, changed: [...chosen].sort() };
}
