/** Reads the trees a command works on: files and directories on disk, or a revision of a local git repository. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { readDirectory } from "../adapters/fs/read-directory.js";
import { readGitTree } from "../adapters/git/git-tree.js";
import { CONFIG_FILE, loadConfig } from "../config/meshplan-config.js";
import { manifestsOf } from "../jobs/check-tree.js";
import type { PlanTree } from "../jobs/plan.js";
import type { SourceFile } from "../manifests/types.js";
import { InputError } from "./errors.js";

/** `paths` (files or directories) relative to `root`; none means all of `root`. */
export async function readDiskTree(root: string, paths: string[], label: string): Promise<PlanTree> {
  try {
    return { label, commit: null, files: await readDirectory(resolve(root), paths.length ? paths : undefined) };
  } catch (err) {
    throw new InputError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export async function readRevisionTree(repo: string, ref: string, paths: string[]): Promise<PlanTree> {
  try {
    const { commit, files } = await readGitTree(resolve(repo), ref, paths.length ? paths : undefined);
    return { label: ref, commit, files };
  } catch (err) {
    throw new InputError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/**
 * The manifests under `paths` (relative to `root`) as meshplan.yaml defines
 * them: its manifest paths, without meshplan.yaml and the policy directories.
 */
export async function readManifestFiles(root: string, paths: string[]): Promise<SourceFile[]> {
  // Reading only `paths` also reports a path that does not exist.
  const tree = await readDiskTree(root, paths, root);
  const configText = await readFile(resolve(root, CONFIG_FILE)).catch(() => null);
  const config = loadConfig(configText ? { path: CONFIG_FILE, content: configText } : null).config;
  return manifestsOf(tree.files, config);
}
