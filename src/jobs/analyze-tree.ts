/**
 * One revision of a repository, analysed: manifests -> model -> routing, with
 * every finding found on the way. Pure: the caller reads the files.
 */
import { sortFindings, type Finding } from "../findings.js";
import { loadManifests, type LoadedFiles, type LoadOptions } from "../manifests/load.js";
import type { Resource, SourceFile } from "../manifests/types.js";
import { buildModel } from "../mesh/build-model.js";
import type { MeshModel } from "../mesh/types.js";
import { effectiveRoutes } from "../routing/effective-routes.js";
import type { RoutingTable } from "../routing/types.js";

export interface AnalyzeOptions {
  load?: Partial<LoadOptions>;
  /** Namespace for resources that set none (kubectl's default: "default"). */
  defaultNamespace?: string;
  clusterDomain?: string;
}

export interface TreeAnalysis {
  files: number;
  resources: Resource[];
  model: MeshModel;
  table: RoutingTable;
  /** Load, validation and routing findings, sorted by file and line. */
  findings: Finding[];
  /** What each file loaded to, for analysing another revision of the same tree. */
  loaded: LoadedFiles;
}

/**
 * With `base` (another revision's analysis, e.g. the base of a pull
 * request), files whose bytes did not change are taken over instead of being
 * parsed again, and routing that did not change is held once for both.
 */
export function analyzeTree(files: readonly SourceFile[], options: AnalyzeOptions = {}, base: TreeAnalysis | null = null): TreeAnalysis {
  const loaded = loadManifests([...files], options.load, base?.loaded ?? null);
  const model = buildModel(loaded.resources, {
    ...(options.defaultNamespace ? { defaultNamespace: options.defaultNamespace } : {}),
    ...(options.clusterDomain ? { clusterDomain: options.clusterDomain } : {}),
  });
  const routed = effectiveRoutes(model, base?.table ?? null);
  return {
    files: files.length,
    resources: loaded.resources,
    model,
    table: routed.table,
    findings: sortFindings([...loaded.findings, ...model.findings, ...routed.findings]),
    loaded: loaded.files,
  };
}
