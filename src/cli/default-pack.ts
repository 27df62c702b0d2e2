/** Reads meshplan's bundled policy pack (policies/ in the package) for the pure core. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readDirectory } from "../adapters/fs/read-directory.js";
import type { SourceFile } from "../manifests/types.js";

/**
 * Where the pack is: beside a function bundle (`npm run build:functions` copies it next to the
 * worker's index.mjs), else in the package, two levels above this module.
 */
const candidates = [new URL("./policies/", import.meta.url), new URL("../policies/", import.meta.url), new URL("../../policies/", import.meta.url)].map((u) => fileURLToPath(u));

export function defaultPackDir(): string {
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`meshplan's policy pack is missing: looked in ${candidates.join(" and ")}`);
  return found;
}

/** The bundled policies with paths `@default/<file>`, as findings name them. */
export async function readDefaultPack(): Promise<SourceFile[]> {
  const files = await readDirectory(defaultPackDir());
  return files.map((f) => ({ path: `@default/${f.path}`, content: f.content }));
}
