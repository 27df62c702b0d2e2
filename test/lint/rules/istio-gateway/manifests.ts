/** Small manifests the rule tests build trees from. */
export function sidecar(name: string, namespace: string, selector?: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${selector ? `  workloadSelector: { labels: ${selector} }\n` : ""}  egress: [{ hosts: ["./*"] }]
`;
}

export function namespace(name: string, labels = "{}"): string {
  return `
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
}

export function deployment(name: string, namespace: string, labels: string): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: ${labels} }
    spec: { containers: [{ name: app, image: app }] }
`;
}
