import type { KindSchema } from "./kind-schema.js";

// Filled in by the kubernetes schemas work.
export const kubernetesSchemas: readonly KindSchema[] = [];
