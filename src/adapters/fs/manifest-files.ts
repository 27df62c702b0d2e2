/** Which files of a tree are manifests: the rule shared by the directory and git tree sources. */

const manifestExtension = /\.(ya?ml|json)$/i;

/**
 * True for a `.yaml`/`.yml`/`.json` file whose repository-relative path (forward
 * slashes) does not pass through `node_modules` or a dot-directory (`.git`,
 * `.github`: CI workflows are YAML but not manifests).
 */
export function isManifestFile(relPath: string): boolean {
  if (!manifestExtension.test(relPath)) return false;
  const dirs = relPath.split("/").slice(0, -1);
  return dirs.every((d) => !isSkippedDirectory(d));
}

export function isSkippedDirectory(name: string): boolean {
  return name === "node_modules" || (name.startsWith(".") && name !== "." && name !== "..");
}

/** Code-unit order, so both tree sources list files identically on every platform and locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
