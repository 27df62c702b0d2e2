/**
 * The protocol Istio gives a Kubernetes Service port (Istio "Protocol
 * Selection"; pilot `kube.ConvertProtocol`): a UDP port is UDP; otherwise the
 * port's `appProtocol` when it is set (even to ""), else its name, read up to
 * the first `-` (`http-web` is HTTP, `grpc-web...` is gRPC-Web), compared
 * case-insensitively. The Kubernetes standard application protocols
 * (KEP-3726) map to `kubernetes.io/h2c` = HTTP2, `kubernetes.io/ws` = HTTP,
 * `kubernetes.io/wss` = HTTPS. A name that declares nothing Istio knows is
 * "unsupported" and gets protocol sniffing, except on the well-known
 * server-first ports 25, 53, 3306 and 27017, which are taken as TCP.
 */

export type IstioProtocol =
  | "TCP"
  | "UDP"
  | "GRPC"
  | "GRPC-Web"
  | "HTTP"
  | "HTTP_PROXY"
  | "HTTP2"
  | "HTTPS"
  | "TLS"
  | "Mongo"
  | "Redis"
  | "MySQL";

export interface IstioPortDeclaration {
  port: number;
  name?: string | null;
  /** Kubernetes transport protocol (TCP, UDP, SCTP); absent means TCP. */
  protocol?: string | null;
  /** null or absent: not set. "" is set (to nothing) and wins over the name. */
  appProtocol?: string | null;
}

const byPrefix: Record<string, IstioProtocol> = {
  tcp: "TCP",
  udp: "UDP",
  grpc: "GRPC",
  http: "HTTP",
  http_proxy: "HTTP_PROXY",
  http2: "HTTP2",
  https: "HTTPS",
  tls: "TLS",
  mongo: "Mongo",
  redis: "Redis",
  mysql: "MySQL",
};

const kubernetesStandard: Record<string, IstioProtocol> = {
  "kubernetes.io/h2c": "HTTP2",
  "kubernetes.io/ws": "HTTP",
  "kubernetes.io/wss": "HTTPS",
};

/** Ports Istio never sniffs because the server speaks first (SMTP, DNS, MySQL, MongoDB). */
const serverFirstPorts = new Set([25, 53, 3306, 27017]);

/** The protocol Istio gives the port, or null when the declaration names none it supports. */
export function istioPortProtocol(p: IstioPortDeclaration): IstioProtocol | null {
  if (p.protocol === "UDP") return "UDP";
  const declared = p.appProtocol ?? p.name ?? "";
  const standard = p.appProtocol != null ? kubernetesStandard[p.appProtocol] : undefined;
  if (standard) return standard;
  if (declared.slice(0, "grpc-web".length).toLowerCase() === "grpc-web") return "GRPC-Web";
  const dash = declared.indexOf("-");
  const prefix = (dash >= 0 ? declared.slice(0, dash) : declared).toLowerCase();
  const known = Object.hasOwn(byPrefix, prefix) ? byPrefix[prefix]! : null;
  if (known === null && serverFirstPorts.has(p.port)) return "TCP";
  return known;
}
