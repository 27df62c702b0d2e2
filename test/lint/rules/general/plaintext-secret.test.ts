/**
 * MP1107: a Secret committed with readable values (base64 `data` or
 * `stringData`). SOPS-encrypted files (a `sops` key, `ENC[...]` values) are
 * not plaintext; SealedSecret and ExternalSecret are other kinds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { plaintextSecret } from "../../../../src/lint/rules/general/plaintext-secret.js";
import { lineOf, lint } from "./lint.js";

const password = "s3cr3t-Pa55";
const encoded = Buffer.from(password).toString("base64");

function secret(body: string, extra = ""): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\n${body}${extra}`;
}

describe("plaintext Secrets in the repository (MP1107)", () => {
  it("reports base64 data at the data field, naming keys but never values", () => {
    const yaml = secret(`data:\n  password: ${encoded}\n  username: YWRtaW4=\n`);
    const findings = lint(plaintextSecret, { "secret.yaml": yaml });
    assert.deepEqual(
      findings.map((f) => [f.path, f.line, f.severity]),
      [["data", lineOf(yaml, /^data:/), "error"]],
    );
    const f = findings[0]!;
    assert.match(f.message, /password, username/);
    for (const text of [f.message, f.hint ?? ""]) {
      assert.ok(!text.includes(password) && !text.includes(encoded) && !text.includes("YWRtaW4="), "no secret value in the finding");
    }
    assert.match(f.hint ?? "", /SealedSecret.*ExternalSecret.*SOPS/);
  });

  it("reports stringData at the stringData field", () => {
    const findings = lint(plaintextSecret, { "secret.yaml": secret(`stringData:\n  token: ${password}\n`) });
    assert.deepEqual(
      findings.map((f) => f.path),
      ["stringData"],
    );
    assert.ok(!findings[0]!.message.includes(password));
  });

  it("reports a Secret that fails its schema, which leaks just the same", () => {
    assert.equal(lint(plaintextSecret, { "secret.yaml": secret("data:\n  pin: 1234\n  password: c2VjcmV0\n") }).length, 1);
  });

  const accepted: [string, string][] = [
    [
      "a SOPS-encrypted Secret",
      secret(
        "data:\n  password: ENC[AES256_GCM,data:Tr7o1B==,iv:abc=,tag:def=,type:str]\n",
        "sops:\n  age:\n  - recipient: age1xyz\n  lastmodified: \"2024-01-01T00:00:00Z\"\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  version: 3.8.1\n",
      ),
    ],
    ["SOPS values without the metadata block", secret("stringData:\n  password: ENC[AES256_GCM,data:Tr7o1B==,iv:abc=,tag:def=,type:str]\n")],
    ["a Secret with no data", secret("")],
    ["a Secret whose values are empty", secret('data:\n  password: ""\n')],
    [
      "a SealedSecret",
      `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n`,
    ],
    ["a ConfigMap", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db, namespace: shop}\ndata:\n  password: not-a-secret-kind\n`],
  ];
  for (const [name, yaml] of accepted) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(lint(plaintextSecret, { "doc.yaml": yaml }), []);
    });
  }
});
