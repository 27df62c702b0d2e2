/** Gateways and gateway-bound VirtualServices for the gateway rule tests. */
export const istioGateway = (name: string, namespace: string, hosts: string[]) => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: [${hosts.map((h) => `"${h}"`).join(", ")}]
`;

export const kubernetesGateway = (name: string, namespace: string, hostnames: (string | null)[]) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  gatewayClassName: istio
  listeners:
${hostnames.map((h, i) => `  - { name: l${i}, port: ${80 + i}, protocol: HTTP${h ? `, hostname: "${h}"` : ""} }`).join("\n")}
`;

export const boundVs = (name: string, namespace: string | null, gateways: string[], hosts: string[]) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}${namespace ? `, namespace: ${namespace}` : ""} }
spec:
  hosts: [${hosts.map((h) => `"${h}"`).join(", ")}]
  gateways: [${gateways.map((g) => `"${g}"`).join(", ")}]
  http:
  - route: [{ destination: { host: web } }]
`;
