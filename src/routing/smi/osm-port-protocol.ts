/**
 * The application protocol OSM gives a Service port (OSM docs, "Application
 * Protocol Selection"): the port's appProtocol when set, else the port name
 * prefix (`http-`, `tcp-`, `grpc-`), else http. `tcp-server-first` is TCP.
 * OSM routes and authorizes HTTP ports with HTTP rules and TCP ports with
 * TCP rules.
 */
import type { ServicePortInfo } from "../../mesh/types.js";
import type { Protocol } from "../types.js";

export function osmPortProtocol(port: Pick<ServicePortInfo, "name" | "appProtocol">): Protocol {
  const declared = port.appProtocol?.toLowerCase() ?? null;
  const name = port.name?.toLowerCase() ?? "";
  const protocol =
    declared ?? (name.startsWith("tcp-") ? "tcp" : name.startsWith("grpc-") ? "grpc" : "http");
  if (protocol === "tcp" || protocol === "tcp-server-first") return "tcp";
  if (protocol === "grpc") return "grpc";
  return "http";
}
