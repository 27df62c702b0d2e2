/**
 * Kubernetes Ingress and IngressClass (networking.k8s.io/v1), and the removed
 * Ingress versions (extensions/v1beta1, networking.k8s.io/v1beta1, no longer
 * served since Kubernetes 1.22) parsed well enough to route them and explain
 * the migration. Optional fields accept null, as the API server treats
 * `field:` with no value as unset.
 */
import { z } from "zod";
import type { KindSchema } from "./kind-schema.js";
import { resourceSchema } from "./meta.js";

const portNumber = z.number().int().min(1).max(65535);

/** IngressServiceBackend.port: exactly one of number or name (API validation). */
const serviceBackendPort = z
  .looseObject({ number: portNumber.nullish(), name: z.string().min(1).nullish() })
  .refine((p) => (p.number != null) !== (p.name != null), { message: "exactly one of port.number or port.name is required" });

const typedLocalObjectReference = z.looseObject({
  apiGroup: z.string().nullish(),
  kind: z.string().min(1),
  name: z.string().min(1),
});

/** networking.k8s.io/v1 IngressBackend: a Service or a resource, not both. */
export const ingressBackendSchema = z
  .looseObject({
    service: z.looseObject({ name: z.string().min(1), port: serviceBackendPort.nullish() }).nullish(),
    resource: typedLocalObjectReference.nullish(),
  })
  .refine((b) => (b.service != null) !== (b.resource != null), { message: "exactly one of service or resource is required" });

const pathType = z.enum(["Exact", "Prefix", "ImplementationSpecific"]);

export const httpIngressPathSchema = z.looseObject({
  path: z.string().nullish(),
  /** Required in v1 (it defaulted to ImplementationSpecific in v1beta1). */
  pathType,
  backend: ingressBackendSchema,
});

const tls = z.array(z.looseObject({ hosts: z.array(z.string()).nullish(), secretName: z.string().nullish() })).nullish();

export const ingressRuleSchema = z.looseObject({
  host: z.string().nullish(),
  http: z.looseObject({ paths: z.array(httpIngressPathSchema).min(1) }).nullish(),
});

export const ingressSchema = resourceSchema(
  z.looseObject({
    ingressClassName: z.string().nullish(),
    defaultBackend: ingressBackendSchema.nullish(),
    tls,
    rules: z.array(ingressRuleSchema).nullish(),
  }),
);

/** extensions/v1beta1 and networking.k8s.io/v1beta1 IngressBackend. */
export const legacyIngressBackendSchema = z.looseObject({
  serviceName: z.string().min(1).nullish(),
  servicePort: z.union([portNumber, z.string().min(1)]).nullish(),
  resource: typedLocalObjectReference.nullish(),
});

export const legacyIngressSchema = resourceSchema(
  z.looseObject({
    ingressClassName: z.string().nullish(),
    backend: legacyIngressBackendSchema.nullish(),
    tls,
    rules: z
      .array(
        z.looseObject({
          host: z.string().nullish(),
          http: z
            .looseObject({
              paths: z
                .array(
                  z.looseObject({
                    path: z.string().nullish(),
                    pathType: pathType.nullish(),
                    backend: legacyIngressBackendSchema,
                  }),
                )
                .min(1),
            })
            .nullish(),
        }),
      )
      .nullish(),
  }),
);

export const ingressClassSchema = resourceSchema(
  z.looseObject({
    controller: z.string().nullish(),
    parameters: z
      .looseObject({
        apiGroup: z.string().nullish(),
        kind: z.string().min(1),
        name: z.string().min(1),
        scope: z.string().nullish(),
        namespace: z.string().nullish(),
      })
      .nullish(),
  }),
);

export type IngressBackend = z.infer<typeof ingressBackendSchema>;
export type HTTPIngressPath = z.infer<typeof httpIngressPathSchema>;
export type IngressRule = z.infer<typeof ingressRuleSchema>;
export type Ingress = z.infer<typeof ingressSchema>;
export type LegacyIngressBackend = z.infer<typeof legacyIngressBackendSchema>;
export type LegacyIngress = z.infer<typeof legacyIngressSchema>;
export type IngressClass = z.infer<typeof ingressClassSchema>;

const ingressMigration =
  "Use apiVersion networking.k8s.io/v1 (Ingress v1beta1 is not served since Kubernetes 1.22): " +
  "backend.serviceName/servicePort become backend.service.name and backend.service.port.number (or .name for a named port); " +
  "spec.backend becomes spec.defaultBackend; every path needs a pathType (Exact, Prefix or ImplementationSpecific, " +
  "which was the v1beta1 default); set spec.ingressClassName instead of the kubernetes.io/ingress.class annotation.";

export const ingressSchemas: readonly KindSchema[] = [
  { group: "networking.k8s.io", kind: "Ingress", versions: ["v1"], namespaced: true, schema: ingressSchema },
  {
    group: "networking.k8s.io",
    kind: "Ingress",
    versions: [],
    removedVersions: ["v1beta1"],
    migration: ingressMigration,
    namespaced: true,
    schema: legacyIngressSchema,
  },
  {
    group: "extensions",
    kind: "Ingress",
    versions: [],
    removedVersions: ["v1beta1"],
    migration: ingressMigration,
    namespaced: true,
    schema: legacyIngressSchema,
  },
  {
    group: "networking.k8s.io",
    kind: "IngressClass",
    versions: ["v1"],
    removedVersions: ["v1beta1"],
    migration: "Use apiVersion networking.k8s.io/v1 (IngressClass v1beta1 is not served since Kubernetes 1.22); the fields are unchanged.",
    namespaced: false,
    schema: ingressClassSchema,
  },
];
