/**
 * Builds a mesh model for tests, from inline YAML or from files of the shared
 * corpus. `findings` holds the load and validation findings together.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../src/findings.js";
import { loadManifests, type LoadOptions } from "../../src/manifests/load.js";
import type { Resource, SourceFile } from "../../src/manifests/types.js";
import { buildModel, type BuildModelOptions } from "../../src/mesh/build-model.js";
import type { MeshModel } from "../../src/mesh/types.js";
import { corpusPath } from "./corpus.js";

export interface TestModelOptions extends BuildModelOptions {
  load?: Partial<LoadOptions>;
}

export interface TestModel {
  model: MeshModel;
  resources: Resource[];
  findings: Finding[];
}

export function modelFromFiles(files: readonly SourceFile[], options: TestModelOptions = {}): TestModel {
  const { load, ...build } = options;
  const loaded = loadManifests(files, load);
  const model = buildModel(loaded.resources, build);
  return { model, resources: loaded.resources, findings: [...loaded.findings, ...model.findings] };
}

/** `{ "mesh.yaml": "apiVersion: ..." }` -> model; the keys are the file paths. */
export function modelFromYaml(files: Record<string, string>, options: TestModelOptions = {}): TestModel {
  return modelFromFiles(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    options,
  );
}

/**
 * Files or directories of the corpus (`"bookinfo/platform/kube/bookinfo.yaml"`,
 * `"osm/manifests/apps"`); directories contribute their .yaml/.yml/.json files,
 * sorted. Resource files are the corpus-relative paths.
 */
export function modelFromCorpus(relPaths: string[], options: TestModelOptions = {}): TestModel {
  return modelFromFiles(corpusFiles(relPaths), options);
}

export function corpusFiles(relPaths: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const rel of relPaths) collect(rel.replace(/\/+$/, ""), out);
  return out;
}

function collect(rel: string, out: SourceFile[]): void {
  const abs = corpusPath(rel);
  if (!statSync(abs).isDirectory()) {
    out.push({ path: rel, content: readFileSync(abs) });
    return;
  }
  for (const name of readdirSync(abs).sort()) {
    const child = `${rel}/${name}`;
    if (statSync(join(abs, name)).isDirectory()) collect(child, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push({ path: child, content: readFileSync(join(abs, name)) });
  }
}
