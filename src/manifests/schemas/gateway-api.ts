import type { KindSchema } from "./kind-schema.js";

// Filled in by the gateway-api schemas work.
export const gatewayApiSchemas: readonly KindSchema[] = [];
