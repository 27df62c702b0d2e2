/**
 * One line for people per request match or access operation, used in access
 * rule summaries: `GET /books-bought (user-agent ~ .*-http-client/.*)`,
 * `ports 2181, 3181`.
 */
import type { AccessOperation, RequestMatch, StringMatch } from "../types.js";

function valueOf(m: StringMatch | undefined): string {
  return !m || m.type === "present" ? "*" : m.value;
}

export function describeMatch(m: RequestMatch): string {
  const conditions = [
    ...(m.authority ? [`host ~ ${valueOf(m.authority)}`] : []),
    ...(m.headers ?? []).map((h) => `${h.name} ~ ${valueOf(h.match)}`),
  ];
  return `${valueOf(m.method)} ${valueOf(m.uri)}${conditions.length ? ` (${conditions.join(", ")})` : ""}`;
}

export function describePorts(ports: readonly number[] | undefined): string {
  if (!ports || ports.length === 0) return "any port";
  return `${ports.length > 1 ? "ports" : "port"} ${ports.join(", ")}`;
}

export function describeOperation(op: AccessOperation): string {
  const parts: string[] = [];
  if (op.hosts?.length) parts.push(op.hosts.join(", "));
  if (op.matches?.length) parts.push(op.matches.map(describeMatch).join(", "));
  if (op.ports?.length || parts.length === 0) parts.push(describePorts(op.ports));
  return parts.join(" ");
}
