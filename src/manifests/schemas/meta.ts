import { z } from "zod";

/** metadata as every kind shares it; unknown fields pass through. */
export const objectMeta = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A top-level object: apiVersion, kind, metadata and the given spec. */
export function resourceSchema<S extends z.ZodType>(spec: S) {
  return z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta, spec });
}

export const labelMap = z.record(z.string(), z.string());
