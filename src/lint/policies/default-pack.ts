/**
 * Where meshplan's bundled policy pack lives, relative to the package root.
 * The core reads no files: the CLI adapter reads this directory and passes
 * the files to loadPolicies (docs/policies.md, "The default pack").
 */
export const DEFAULT_PACK_DIR = "policies";
