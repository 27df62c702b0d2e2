import type { KindSchema } from "./kind-schema.js";

// Filled in by the ingress schemas work.
export const ingressSchemas: readonly KindSchema[] = [];
