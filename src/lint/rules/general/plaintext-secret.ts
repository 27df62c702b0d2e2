/**
 * A Kubernetes Secret committed with its values: `data` is only base64, and
 * `stringData` is the value itself, so anyone who can read the repository (and
 * its history, forever) can read the secret. Encrypted forms are not Secrets
 * in the tree (a SealedSecret, an ExternalSecret) or carry SOPS metadata
 * (a top-level `sops` key, values written `ENC[...]`).
 *
 * Every loaded document of kind Secret is read, also one that fails its
 * schema: a malformed Secret leaks just the same. Messages name keys, never
 * values.
 */
import type { LintRule } from "../../rule.js";

/** SOPS writes each encrypted value as `ENC[AES256_GCM,data:...,type:str]`. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/;

/** Keys with a non-empty value that is not SOPS ciphertext. */
function plaintextKeys(field: unknown): string[] {
  if (field === null || typeof field !== "object" || Array.isArray(field)) return [];
  return Object.entries(field as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && String(v) !== "" && !SOPS_VALUE.test(String(v)))
    .map(([k]) => k)
    .sort();
}

export const plaintextSecret: LintRule = {
  code: "MP1107",
  title: "Plaintext Secret in the repository",
  severity: "error",
  docs:
    "A Secret with `data` or `stringData` values is committed as is. `data` is only base64-encoded, so every " +
    "reader of the repository, and of its history after the file is changed, can read the values. Commit an " +
    "encrypted form instead (a Bitnami SealedSecret, an External Secrets Operator ExternalSecret, or a " +
    "SOPS-encrypted file, which meshplan recognises by its `sops` metadata) and rotate values that were exposed. " +
    "The finding names the keys, never the values.",
  equivalents: [],
  // Reads raw documents so a Secret that fails its schema is still caught.
  kinds: [],
  check(ctx) {
    for (const res of ctx.model.resources) {
      if (res.group !== "" || res.kind !== "Secret") continue;
      const sops = res.object["sops"];
      if (sops !== null && typeof sops === "object") continue;
      const data = plaintextKeys(res.object["data"]);
      const stringData = plaintextKeys(res.object["stringData"]);
      if (!data.length && !stringData.length) continue;
      const fields = [data.length ? `data (${data.join(", ")})` : "", stringData.length ? `stringData (${stringData.join(", ")})` : ""]
        .filter(Boolean)
        .join(" and ");
      const count = data.length + stringData.length;
      ctx.report(
        res,
        [data.length ? "data" : "stringData"],
        `Secret ${res.namespace ?? ctx.model.defaultNamespace}/${res.name} commits ${count} readable value${count === 1 ? "" : "s"} in ${fields}; ` +
          "base64 is an encoding, not encryption.",
        {
          hint:
            "Replace it with a SealedSecret (kubeseal), an ExternalSecret (External Secrets Operator) or a SOPS-encrypted file, " +
            "and rotate the values: they stay in the git history.",
        },
      );
    }
  },
};
