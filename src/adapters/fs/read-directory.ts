/** Tree source: manifest files of a directory on disk. */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { SourceFile } from "../../manifests/types.js";
import { comparePaths, isManifestFile, isSkippedDirectory } from "./manifest-files.js";

/** A directory or file that cannot be read, with the path as the user gave it. */
export class DirectoryReadError extends Error {
  override name = "DirectoryReadError";
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Files read at the same time; enough to hide latency without exhausting file descriptors. */
const readConcurrency = 16;

/**
 * The .yaml/.yml/.json files under `root` (or under the given `paths`, files
 * or directories relative to `root`), recursively, skipping node_modules and
 * dot-directories. A file named explicitly is read whatever its extension.
 * Paths in the result are relative to `root` with forward slashes, sorted.
 */
export async function readDirectory(root: string, paths?: string[]): Promise<SourceFile[]> {
  const rootAbs = resolve(root);
  const rootStat = await stat(rootAbs).catch((err: unknown) => {
    throw new DirectoryReadError(`Cannot read directory ${root}: ${reason(err)}`, root, { cause: err });
  });
  if (!rootStat.isDirectory()) throw new DirectoryReadError(`${root} is not a directory`, root);

  const found = new Set<string>();
  for (const p of paths && paths.length ? paths : ["."]) {
    const abs = resolve(rootAbs, p);
    const rel = relative(rootAbs, abs);
    if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DirectoryReadError(`${p} is outside ${root}`, p);
    }
    const st = await stat(abs).catch((err: unknown) => {
      throw new DirectoryReadError(`${p}: no such file or directory in ${root} (${reason(err)})`, p, { cause: err });
    });
    if (st.isDirectory()) await walk(abs, toSlashes(rel), found);
    else found.add(toSlashes(rel));
  }

  const files = [...found].sort(comparePaths);
  const out: SourceFile[] = new Array(files.length);
  for (let i = 0; i < files.length; i += readConcurrency) {
    await Promise.all(
      files.slice(i, i + readConcurrency).map(async (rel, k) => {
        const content = await readFile(join(rootAbs, rel)).catch((err: unknown) => {
          throw new DirectoryReadError(`Cannot read ${rel}: ${reason(err)}`, rel, { cause: err });
        });
        out[i + k] = { path: rel, content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) };
      }),
    );
  }
  return out;
}

async function walk(dirAbs: string, dirRel: string, found: Set<string>): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dirAbs, { withFileTypes: true });
  } catch (err) {
    throw new DirectoryReadError(`Cannot read directory ${dirRel || "."}: ${reason(err)}`, dirRel, { cause: err });
  }
  for (const entry of entries) {
    const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!isSkippedDirectory(entry.name)) await walk(join(dirAbs, entry.name), rel, found);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (!isManifestFile(entry.name)) continue;
      // Symbolic links to files are followed; links to directories are not, so a link cycle cannot recurse.
      if (entry.isSymbolicLink()) {
        const target = await stat(join(dirAbs, entry.name)).catch(() => null);
        if (!target?.isFile()) continue;
      }
      found.add(rel);
    }
  }
}

function toSlashes(rel: string): string {
  return rel === "" ? "" : rel.split(sep).join("/");
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return "not found";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
