/**
 * Gateway API listener distinctness (apis/v1 GatewaySpec.listeners and
 * ListenerConditionConflicted): every traffic flow must be assignable to
 * exactly one listener of a Gateway.
 *
 * - Same port, same protocol, same hostname (absent counts as one value): the
 *   v1 CRD refuses the Gateway ("Combination of port, protocol and hostname
 *   must be unique for each listener"); a controller that still sees it sets
 *   Conflicted=True, reason HostnameConflict. HTTPS and TLS listeners share
 *   the TLS handshake, so on one port they also need distinct hostnames.
 * - TCP and UDP listeners carry no hostname (the CRD forbids one), so two of
 *   the same protocol on one port can never be told apart.
 * - Same port, protocols that cannot share it (HTTP with HTTPS/TLS, TCP with
 *   any of them): Conflicted=True, reason ProtocolConflict. UDP uses another
 *   transport and does not conflict with the TCP-based protocols.
 *
 * A conflicted listener's port "should not be configured on any network
 * elements", so none of the listeners involved serves traffic.
 */
import type { Gateway, Listener } from "../../../manifests/schemas/gateway-api.js";
import type { LintRule } from "../../rule.js";

/** Protocols that may share a port (GatewaySpec.listeners: "compatible" listeners). */
type ProtocolFamily = "http" | "tls" | "tcp" | "udp";

function familyOf(protocol: string): ProtocolFamily | null {
  switch (protocol) {
    case "HTTP":
      return "http";
    case "HTTPS":
    case "TLS":
      return "tls";
    case "TCP":
      return "tcp";
    case "UDP":
      return "udp";
    default:
      // Implementation-specific protocols (`example.com/proto`): their compatibility is the implementation's to define.
      return null;
  }
}

interface Conflict {
  other: number;
  reason: "HostnameConflict" | "ProtocolConflict";
}

function conflictBetween(a: Listener, b: Listener): Conflict["reason"] | null {
  if (a.port !== b.port) return null;
  const fa = familyOf(a.protocol);
  const fb = familyOf(b.protocol);
  if (!fa || !fb) return null;
  if ((fa === "udp") !== (fb === "udp")) return null;
  if (fa !== fb) return "ProtocolConflict";
  if (fa === "tcp" || fa === "udp") return "HostnameConflict";
  return (a.hostname ?? "").toLowerCase() === (b.hostname ?? "").toLowerCase() ? "HostnameConflict" : null;
}

function describeListener(l: Listener): string {
  return `"${l.name}" (${l.protocol} on port ${l.port}${l.hostname ? `, hostname ${l.hostname}` : ", no hostname"})`;
}

export const gatewayListenerConflict: LintRule = {
  code: "MP1101",
  title: "Gateway listeners conflict",
  severity: "error",
  docs:
    "Two listeners of one Gateway cannot be told apart: they share a port and protocol and claim the same " +
    "hostname (no hostname counts as the same value; TCP and UDP listeners have none), or they put protocols " +
    "that cannot share a port on the same one (HTTP with HTTPS or TLS, TCP with any of them). The Gateway API " +
    "v1 CRD rejects a Gateway whose listeners repeat a port, protocol and hostname; a controller marks such " +
    "listeners Conflicted (HostnameConflict or ProtocolConflict) and programs none of them, so the routes " +
    "attached to them receive no traffic.",
  equivalents: [],
  kinds: ["gateway.networking.k8s.io/Gateway"],
  check(ctx) {
    ctx.forEach<Gateway>("gateway.networking.k8s.io/Gateway", ({ res, obj, namespace }) => {
      const listeners = obj.spec.listeners;
      const conflicts = new Map<number, Conflict[]>();
      for (let i = 0; i < listeners.length; i++)
        for (let j = i + 1; j < listeners.length; j++) {
          const reason = conflictBetween(listeners[i]!, listeners[j]!);
          if (!reason) continue;
          conflicts.set(i, [...(conflicts.get(i) ?? []), { other: j, reason }]);
          conflicts.set(j, [...(conflicts.get(j) ?? []), { other: i, reason }]);
        }
      for (const [i, list] of [...conflicts].sort(([a], [b]) => a - b)) {
        const listener = listeners[i]!;
        const others = (reason: Conflict["reason"]) => list.filter((c) => c.reason === reason).map((c) => listeners[c.other]!);
        const sameHost = others("HostnameConflict");
        const incompatible = others("ProtocolConflict");
        const parts: string[] = [];
        if (sameHost.length) {
          const what = familyOf(listener.protocol) === "tcp" || familyOf(listener.protocol) === "udp" ? "port" : "port and hostname";
          parts.push(`claims the same ${what} as ${sameHost.map(describeListener).join(", ")}, a HostnameConflict`);
        }
        if (incompatible.length) parts.push(`shares its port with the incompatible ${incompatible.map(describeListener).join(", ")}, a ProtocolConflict`);
        const rejected = sameHost.some((o) => o.protocol === listener.protocol)
          ? " The v1 CRD rejects the whole Gateway: the combination of port, protocol and hostname must be unique for each listener."
          : "";
        ctx.report(
          res,
          ["spec", "listeners", i],
          `Gateway ${namespace ?? ""}/${res.name} listener ${describeListener(listener)} ${parts.join("; it also ")}: ` +
            `the listener is Conflicted and not programmed, so routes attached to it receive no traffic.${rejected}`,
          {
            hint: sameHost.length
              ? "Give each listener on a port its own hostname (or port), or merge them into one listener."
              : "Move one of the listeners to another port: HTTP, HTTPS/TLS and TCP listeners cannot share a port.",
          },
        );
      }
    });
  },
};
