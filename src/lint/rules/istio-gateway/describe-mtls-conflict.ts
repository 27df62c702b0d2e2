/** The wording shared by the two mTLS rules: who is called, and which PeerAuthentication decides. */
import type { MeshModel } from "../../../mesh/types.js";
import type { MtlsConflict, MtlsConflictTarget } from "./mtls-conflicts.js";

export function describeTargets(conflict: MtlsConflict, model: MeshModel, limit = 3): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const t of conflict.targets) {
    const text = `${t.workload.kind} ${t.workload.namespace}/${t.workload.name} (${t.service.name}:${t.servicePort}${t.podPort !== null && t.podPort !== t.servicePort ? ` -> ${t.podPort}` : ""}, ${decidedBy(t, model)})`;
    if (seen.has(text)) continue;
    seen.add(text);
    parts.push(text);
  }
  const shown = parts.slice(0, limit);
  return shown.join(", ") + (parts.length > shown.length ? ` and ${parts.length - shown.length} more` : "");
}

export function clientModeText(conflict: MtlsConflict): string {
  return conflict.implicitMode ? `a tls block without mode (DISABLE)` : `tls.mode ${conflict.clientMode}`;
}

export function ruleName(conflict: MtlsConflict, model: MeshModel): string {
  return `${conflict.rule.namespace ?? model.defaultNamespace}/${conflict.rule.res.name}`;
}

function decidedBy(t: MtlsConflictTarget, model: MeshModel): string {
  const d = t.server.decidedBy;
  if (!d) return `mTLS ${t.server.mode}`;
  const where = d.path[1] === "portLevelMtls" ? ` port ${String(d.path[2])}` : "";
  return `PeerAuthentication ${d.policy.namespace ?? model.defaultNamespace}/${d.policy.res.name}${where}: ${t.server.mode}`;
}
