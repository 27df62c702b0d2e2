import type { Finding } from "../findings.js";
import { formatPath, refOf } from "../findings.js";
import type { FieldPath, Resource } from "../manifests/types.js";
import type { MeshModel } from "../mesh/types.js";
import type { AccessRule, HostRoutes, Origin } from "./types.js";

/** What one routing engine (Istio, SMI, Gateway API, Ingress) derives from the model. */
export interface EngineResult {
  hosts: HostRoutes[];
  access: AccessRule[];
  /** Problems that change routing (e.g. a subset that resolves to no DestinationRule), located at the field. */
  findings: Finding[];
}

export type RoutingEngine = (model: MeshModel) => EngineResult;

export function originOf(res: Resource, path: FieldPath): Origin {
  const pos = res.locate(path);
  return {
    resource: refOf(res),
    file: res.file,
    line: pos.line,
    column: pos.column,
    path: formatPath(path),
  };
}
