/** Reads meshplan's bundled policy pack (policies/ in the package) for the pure core. */
import { fileURLToPath } from "node:url";
import { readDirectory } from "../adapters/fs/read-directory.js";
import type { SourceFile } from "../manifests/types.js";

const packDir = fileURLToPath(new URL("../../policies/", import.meta.url));

/** The bundled policies with paths `@default/<file>`, as findings name them. */
export async function readDefaultPack(): Promise<SourceFile[]> {
  const files = await readDirectory(packDir);
  return files.map((f) => ({ path: `@default/${f.path}`, content: f.content }));
}
