import type { GroupKind } from "../types.js";
import { gatewayApiSchemas } from "./gateway-api.js";
import { ingressSchemas } from "./ingress.js";
import { istioSchemas } from "./istio.js";
import type { KindSchema } from "./kind-schema.js";
import { kubernetesSchemas } from "./kubernetes.js";
import { smiSchemas } from "./smi.js";

export type { KindSchema } from "./kind-schema.js";

export const allSchemas: readonly KindSchema[] = [
  ...kubernetesSchemas,
  ...ingressSchemas,
  ...istioSchemas,
  ...smiSchemas,
  ...gatewayApiSchemas,
];

const byVersion = new Map<string, KindSchema>();
const knownGroupKinds = new Set<GroupKind>();
for (const s of allSchemas) {
  knownGroupKinds.add(`${s.group}/${s.kind}`);
  for (const v of [...s.versions, ...(s.removedVersions ?? [])]) byVersion.set(`${s.group}/${v}/${s.kind}`, s);
}

/**
 * The schema for a group/version/kind, or undefined for kinds meshplan passes
 * through untouched. A kind may have several entries, one per version shape
 * (SMI TrafficSplit v1alpha1 weights are quantities, v1alpha4 has matches).
 */
export function schemaFor(group: string, version: string, kind: string): KindSchema | undefined {
  return byVersion.get(`${group}/${version}/${kind}`);
}

/** True when meshplan knows the kind in some version (so an unknown version of it is worth a finding). */
export function isKnownKind(group: string, kind: string): boolean {
  return knownGroupKinds.has(`${group}/${kind}`);
}
