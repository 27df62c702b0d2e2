import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The project root (the directory holding package.json). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Absolute path of a file in the shared real-world corpus (`../shared/corpus` from the project root). */
export function corpusPath(rel: string): string {
  return join(repoRoot, "..", "shared", "corpus", rel);
}
