/** A small injected namespace with a reviews Service (9080 -> pod port 8080, named http-web) and two versions. */
import { namespace } from "./manifests.js";

export const reviewsApp = `${namespace("shop", "{ istio-injection: enabled }")}
---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports:
  - { name: http, port: 9080, targetPort: 8080 }
  - { name: grpc, port: 9090, targetPort: grpc-api }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews, version: v1 } }
  template:
    metadata: { labels: { app: reviews, version: v1 } }
    spec: { containers: [{ name: reviews, image: reviews, ports: [{ name: grpc-api, containerPort: 7070 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v2, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews, version: v2 } }
  template:
    metadata: { labels: { app: reviews, version: v2 } }
    spec: { containers: [{ name: reviews, image: reviews, ports: [{ name: grpc-api, containerPort: 7070 }] }] }
`;

export function peerAuthentication(name: string, namespace: string, spec: string): string {
  return `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;
}

export function destinationRule(spec: string, name = "reviews", namespace = "shop"): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  host: reviews.shop.svc.cluster.local
${spec}
`;
}
