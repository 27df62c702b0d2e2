import type { KindSchema } from "./kind-schema.js";

// Filled in by the smi schemas work.
export const smiSchemas: readonly KindSchema[] = [];
