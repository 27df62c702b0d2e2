/**
 * The MeshPolicy document (docs/policies.md), modelled on Kubernetes
 * ValidatingAdmissionPolicy: `matchConstraints` says which objects a policy
 * applies to, `validations` are CEL expressions that must hold for them.
 * Objects are strict, so a misspelt field (`messageExpresion`) is an error
 * rather than a validation that silently never shows its message.
 */
import { z } from "zod";
import { parseFieldPath } from "./parse-field-path.js";

export const POLICY_API_VERSION = "policy.meshplan.io/v1alpha1";
export const POLICY_KIND = "MeshPolicy";

// Kubernetes object names (DNS-1123 subdomain): the name is the code of the policy's findings.
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: "must be a lowercase DNS-1123 subdomain (letters, digits, '-' and '.'), e.g. max-route-timeout",
  });

const nonEmptyStrings = z.array(z.string().min(1)).min(1);

const labelSelector = z
  .strictObject({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z
          .strictObject({
            key: z.string().min(1),
            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
            values: z.array(z.string()).optional(),
          })
          .superRefine((r, ctx) => {
            // apimachinery ValidateLabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist take none.
            const n = r.values?.length ?? 0;
            if ((r.operator === "In" || r.operator === "NotIn") && n === 0) {
              ctx.addIssue({ code: "custom", path: ["values"], message: `operator ${r.operator} needs at least one value` });
            }
            if ((r.operator === "Exists" || r.operator === "DoesNotExist") && n > 0) {
              ctx.addIssue({ code: "custom", path: ["values"], message: `operator ${r.operator} takes no values` });
            }
          }),
      )
      .optional(),
  });

const resourceRule = z.strictObject({
  /** API groups; "" is the core group, "*" any group. */
  apiGroups: z.array(z.string()).min(1),
  /** Versions; absent or "*" for any. */
  apiVersions: nonEmptyStrings.optional(),
  /** Kinds (`VirtualService`), "*" for any. */
  kinds: nonEmptyStrings,
  /** Only objects with these names. */
  resourceNames: nonEmptyStrings.optional(),
});

const singleLine = (what: string) =>
  z
    .string()
    .min(1)
    .refine((s) => !/[\r\n]/.test(s.trim()), { message: `${what} must be a single line (Kubernetes refuses multi-line messages)` });

const validation = z
  .strictObject({
    expression: z.string().min(1),
    message: singleLine("message").optional(),
    messageExpression: z.string().min(1).optional(),
    severity: z.enum(["error", "warning", "info"]).optional(),
    path: z
      .string()
      .min(1)
      .refine((p) => parseFieldPath(p) !== null, { message: "must be a field path such as spec.http[0].route or metadata.labels['team']" })
      .optional(),
  });

export const meshPolicySchema = z.looseObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.literal(POLICY_KIND),
  metadata: z.looseObject({
    name: dnsSubdomain,
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    matchConstraints: z.strictObject({
      resourceRules: z.array(resourceRule).min(1),
      /** Namespace name globs (`prod-*`). */
      namespaces: nonEmptyStrings.optional(),
      namespaceSelector: labelSelector.optional(),
      objectSelector: labelSelector.optional(),
    }),
    params: z.record(z.string(), z.unknown()).optional(),
    validations: z.array(validation).min(1),
  }),
});

export type MeshPolicyDocument = z.infer<typeof meshPolicySchema>;
