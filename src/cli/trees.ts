/** Reads the trees a command works on: files and directories on disk, or a revision of a local git repository. */
import { resolve } from "node:path";
import { readDirectory } from "../adapters/fs/read-directory.js";
import { readGitTree } from "../adapters/git/git-tree.js";
import { CONFIG_FILE, loadConfig } from "../config/meshplan-config.js";
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
 * The manifests under `paths` (relative to `root`), leaving out meshplan.yaml
 * and the policy directories it names: those are check settings, not mesh objects.
 */
export async function readManifestFiles(root: string, paths: string[]): Promise<SourceFile[]> {
  const tree = await readDiskTree(root, paths, root);
  const configFile = tree.files.find((f) => f.path === CONFIG_FILE) ?? null;
  const dirs = loadConfig(configFile).config.policies.map((d) => d.replace(/^\.\//, "").replace(/\/+$/, ""));
  return tree.files.filter((f) => f.path !== CONFIG_FILE && !dirs.some((d) => f.path === d || f.path.startsWith(`${d}/`)));
}
