/** Reads the trees a command works on: files and directories on disk, or a revision of a local git repository. */
import { resolve } from "node:path";
import { readDirectory } from "../adapters/fs/read-directory.js";
import { readGitTree } from "../adapters/git/git-tree.js";
import type { PlanTree } from "../jobs/plan.js";
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
