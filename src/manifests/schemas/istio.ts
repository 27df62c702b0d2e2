import type { KindSchema } from "./kind-schema.js";

// Filled in by the istio schemas work.
export const istioSchemas: readonly KindSchema[] = [];
