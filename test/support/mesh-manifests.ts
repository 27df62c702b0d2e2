/**
 * Bookinfo's reviews service as YAML manifests, the way a mesh repository holds them. A manifest
 * without a namespace lands in the namespace meshplan applies to, so `namespace` is left out
 * unless a test names one.
 */

const metadata = (name: string, namespace?: string, labels?: Record<string, string>) => {
  const fields = [`name: ${name}`];
  if (namespace) fields.push(`namespace: ${namespace}`);
  if (labels) fields.push(`labels: {${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(", ")}}`);
  return `{${fields.join(", ")}}`;
};

export function namespaceManifest(name = "shop"): string {
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${name}}
`;
}

/** A Service on port 9080 selecting the pods of app `name`. */
export function serviceManifest(name = "reviews", namespace?: string): string {
  return `apiVersion: v1
kind: Service
metadata: ${metadata(name, namespace)}
spec:
  ports: [{name: http, port: 9080}]
  selector: {app: ${name}}
`;
}

/** The reviews Deployment of one version, labelled so that a subset of that version selects its pods. */
export function deploymentManifest(version: string, namespace?: string, labels?: Record<string, string>): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: ${metadata(`reviews-${version}`, namespace, labels)}
spec:
  selector: {matchLabels: {app: reviews, version: ${version}}}
  template:
    metadata: {labels: {app: reviews, version: ${version}}}
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2
        ports: [{containerPort: 9080}]
`;
}

/** A DestinationRule for host reviews with the subsets v1 and v2. */
export function destinationRuleManifest(name = "reviews", namespace?: string): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: ${metadata(name, namespace)}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;
}

/** A VirtualService for host `name` sending `weightV1` percent to reviews v1 and the rest to reviews v2. */
export function virtualServiceManifest(name: string, weightV1: number, namespace?: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: ${metadata(name, namespace)}
spec:
  hosts: [${name}]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${weightV1}
    - destination: {host: reviews, subset: v2}
      weight: ${100 - weightV1}
`;
}

/** The spec of virtualServiceManifest's routes as an object, for patches sent behind meshplan's back. */
export function weightedRoutes(weightV1: number) {
  return {
    http: [
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: weightV1 },
          { destination: { host: "reviews", subset: "v2" }, weight: 100 - weightV1 },
        ],
      },
    ],
  };
}

/**
 * Reviews in namespace shop, one object a file under mesh/: the Namespace, the Service, the
 * DestinationRule and the VirtualService, in the order a sync applies them.
 */
export function reviewsInShop(weightV1 = 100): Record<string, string> {
  return {
    "mesh/namespace.yaml": namespaceManifest("shop"),
    "mesh/reviews-service.yaml": serviceManifest("reviews", "shop"),
    "mesh/reviews-destination-rule.yaml": destinationRuleManifest("reviews", "shop"),
    "mesh/reviews.yaml": virtualServiceManifest("reviews", weightV1, "shop"),
  };
}
