/**
 * Live objects as manifest files, so the loader, the mesh model and the routing engines compute
 * the effective routing of what the cluster serves exactly as they do for a git tree.
 */
import { stringify } from "yaml";
import type { SourceFile } from "../manifests/types.js";
import { splitApiVersion } from "../manifests/types.js";
import type { LiveObject } from "./cluster-port.js";
import { withoutServerFields } from "./object-diff.js";

/**
 * One YAML file per object at `<origin>/<namespace or _cluster>/<kind>.<group or core>/<name>.yaml`,
 * server fields stripped, sorted by path. `_cluster` cannot clash with a namespace: namespace
 * names are DNS labels, which have no underscore. The same object listed twice (through two
 * API versions, say) keeps its first copy.
 */
export function liveSourceFiles(objects: readonly LiveObject[], origin: string): SourceFile[] {
  const base = origin.replace(/\/+$/, "");
  const byPath = new Map<string, SourceFile>();
  for (const o of objects) {
    const ns = o.metadata.namespace;
    const group = splitApiVersion(o.apiVersion).group;
    const path = [base, typeof ns === "string" && ns !== "" ? ns : "_cluster", `${o.kind}.${group === "" ? "core" : group}`, `${o.metadata.name}.yaml`]
      .filter((segment) => segment !== "")
      .join("/");
    if (byPath.has(path)) continue;
    // YAML 1.1 is what the loader reads (as kubectl does), so strings such as `on`, `yes` or
    // `0777` must come out quoted to come back as strings.
    const content = stringify(withoutServerFields(o), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
    byPath.set(path, { path, content });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
