/**
 * Kubernetes built-in kinds the mesh model reads: Services, workloads, service
 * accounts, namespaces, plus ConfigMap and Secret (gateways and policies name
 * them). Only the fields meshplan reads are typed; everything else passes
 * through. Optional fields accept null, as the API server's JSON decoding
 * treats `field:` with no value as unset. Only types are checked: allowed
 * values the API server enforces beyond the type (a port protocol other than
 * TCP/UDP/SCTP, a Pod without containers) are left to the analyzers, so the
 * model keeps what istioctl analyze keeps and reports it there.
 */
import { z } from "zod";
import type { KindSchema } from "./kind-schema.js";
import { labelMap, objectMeta, resourceSchema } from "./meta.js";

/** Kubernetes validation `IsValidPortNum`: 1..65535. */
const portNumber = z.number().int().min(1).max(65535);

/** IntOrString: a port number or a named container port. */
const intOrString = z.union([z.number().int(), z.string()]);

const stringMap = z.record(z.string(), z.string());

/** A document with no spec (Namespace, ServiceAccount, ConfigMap, Secret). */
function specless<F extends z.core.$ZodLooseShape>(fields: F) {
  return z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: objectMeta, ...fields });
}

export const servicePortSchema = z.looseObject({
  name: z.string().nullish(),
  port: portNumber,
  targetPort: intOrString.nullish(),
  protocol: z.string().nullish(),
  appProtocol: z.string().nullish(),
  nodePort: z.number().int().nullish(),
});

export const serviceSpecSchema = z.looseObject({
  type: z.enum(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]).nullish(),
  selector: labelMap.nullish(),
  ports: z.array(servicePortSchema).nullish(),
  externalName: z.string().nullish(),
  clusterIP: z.string().nullish(),
});

export const serviceSchema = resourceSchema(serviceSpecSchema.nullish());

export const labelSelectorSchema = z.looseObject({
  matchLabels: labelMap.nullish(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

export const podSpecSchema = z.looseObject({
  serviceAccountName: z.string().nullish(),
  /** Deprecated alias of serviceAccountName, still honoured by the API server's defaulting. */
  serviceAccount: z.string().nullish(),
});

export const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: labelMap.nullish(), annotations: labelMap.nullish() }).nullish(),
  spec: podSpecSchema,
});

/** apps/v1 requires spec.selector; the removed beta versions defaulted it from the template labels. */
function workloadSchema(selectorRequired: boolean) {
  return resourceSchema(
    z.looseObject({
      selector: selectorRequired ? labelSelectorSchema : labelSelectorSchema.nullish(),
      template: podTemplateSchema,
    }),
  );
}

export const deploymentSchema = workloadSchema(true);
export const statefulSetSchema = workloadSchema(true);
export const daemonSetSchema = workloadSchema(true);
const legacyWorkloadSchema = workloadSchema(false);

export const podSchema = resourceSchema(podSpecSchema.nullish());

export const namespaceSchema = specless({
  spec: z.looseObject({ finalizers: z.array(z.string()).nullish() }).nullish(),
});

export const serviceAccountSchema = specless({
  automountServiceAccountToken: z.boolean().nullish(),
  secrets: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
  imagePullSecrets: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
});

export const configMapSchema = specless({
  data: stringMap.nullish(),
  binaryData: stringMap.nullish(),
  immutable: z.boolean().nullish(),
});

export const secretSchema = specless({
  type: z.string().nullish(),
  data: stringMap.nullish(),
  stringData: stringMap.nullish(),
  immutable: z.boolean().nullish(),
});

export type ServicePort = z.infer<typeof servicePortSchema>;
export type ServiceSpec = z.infer<typeof serviceSpecSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type PodSpec = z.infer<typeof podSpecSchema>;
export type PodTemplate = z.infer<typeof podTemplateSchema>;
export type Deployment = z.infer<typeof deploymentSchema>;
export type StatefulSet = z.infer<typeof statefulSetSchema>;
export type DaemonSet = z.infer<typeof daemonSetSchema>;
/** Deployment, StatefulSet or DaemonSet in any version meshplan reads (selector optional in the removed betas). */
export type PodController = z.infer<typeof legacyWorkloadSchema>;
export type Pod = z.infer<typeof podSchema>;
export type Namespace = z.infer<typeof namespaceSchema>;
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;
export type ConfigMap = z.infer<typeof configMapSchema>;
export type Secret = z.infer<typeof secretSchema>;

const removedInKubernetes116 =
  "Kubernetes 1.16 removed this version: use apiVersion apps/v1, which requires spec.selector to match the template labels.";

export const kubernetesSchemas: readonly KindSchema[] = [
  { group: "", kind: "Namespace", versions: ["v1"], namespaced: false, schema: namespaceSchema },
  { group: "", kind: "Service", versions: ["v1"], namespaced: true, schema: serviceSchema },
  { group: "", kind: "ServiceAccount", versions: ["v1"], namespaced: true, schema: serviceAccountSchema },
  { group: "", kind: "ConfigMap", versions: ["v1"], namespaced: true, schema: configMapSchema },
  { group: "", kind: "Secret", versions: ["v1"], namespaced: true, schema: secretSchema },
  { group: "", kind: "Pod", versions: ["v1"], namespaced: true, schema: podSchema },
  { group: "apps", kind: "Deployment", versions: ["v1"], namespaced: true, schema: deploymentSchema },
  { group: "apps", kind: "StatefulSet", versions: ["v1"], namespaced: true, schema: statefulSetSchema },
  { group: "apps", kind: "DaemonSet", versions: ["v1"], namespaced: true, schema: daemonSetSchema },
  // apps/v1beta2 already required spec.selector; apps/v1beta1 and extensions/v1beta1 defaulted it.
  {
    group: "apps",
    kind: "Deployment",
    versions: [],
    removedVersions: ["v1beta2"],
    migration: removedInKubernetes116,
    namespaced: true,
    schema: deploymentSchema,
  },
  {
    group: "apps",
    kind: "StatefulSet",
    versions: [],
    removedVersions: ["v1beta2"],
    migration: removedInKubernetes116,
    namespaced: true,
    schema: statefulSetSchema,
  },
  {
    group: "apps",
    kind: "DaemonSet",
    versions: [],
    removedVersions: ["v1beta2"],
    migration: removedInKubernetes116,
    namespaced: true,
    schema: daemonSetSchema,
  },
  ...(
    [
      ["apps", "Deployment", "v1beta1"],
      ["apps", "StatefulSet", "v1beta1"],
      ["extensions", "Deployment", "v1beta1"],
      ["extensions", "DaemonSet", "v1beta1"],
    ] as const
  ).map(
    ([group, kind, version]): KindSchema => ({
      group,
      kind,
      versions: [],
      removedVersions: [version],
      migration: removedInKubernetes116,
      namespaced: true,
      schema: legacyWorkloadSchema,
    }),
  ),
];
