import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadPolicies } from "../../../src/lint/policies/load-policies.js";
import { policyCodes } from "../../../src/lint/policies/policy-codes.js";
import { policyYaml } from "./policy-fixtures.js";

const match = `  matchConstraints:
    resourceRules: [{ apiGroups: ["networking.istio.io"], kinds: ["VirtualService"] }]
`;

/** A policy whose only validation is `expression` (written as a double-quoted YAML string on line 9). */
function withExpression(name: string, expression: string, extra = ""): string {
  return policyYaml(name, `${match}  validations:\n    - expression: ${JSON.stringify(expression)}\n${extra}`);
}

const good = withExpression("labelled", "has(object.metadata.labels)");

interface MalformedCase {
  name: string;
  file: string;
  code: string;
  line: number;
  column?: number;
  message?: RegExp;
}

const cases: MalformedCase[] = [
  {
    name: "a YAML syntax error is MP0030 at the broken line",
    file: "apiVersion: policy.meshplan.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: broken\nspec: [unclosed\n",
    code: policyCodes.unreadableFile.code,
    line: 6,
  },
  {
    name: "a document without apiVersion is MP0030",
    file: "kind: MeshPolicy\nmetadata:\n  name: anonymous\n",
    code: policyCodes.unreadableFile.code,
    line: 1,
  },
  {
    name: "another kind in a policy directory is MP0031 at its kind",
    file: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: stray\nspec: {}\n",
    code: policyCodes.notAPolicy.code,
    line: 2,
    message: /VirtualService stray is not a MeshPolicy/,
  },
  {
    name: "an unknown MeshPolicy version is MP0031 at its apiVersion",
    file: good.replace("policy.meshplan.io/v1alpha1", "policy.meshplan.io/v1"),
    code: policyCodes.notAPolicy.code,
    line: 1,
    message: /policy\.meshplan\.io\/v1alpha1/,
  },
  {
    name: "a policy without validations is MP0032 at spec",
    file: policyYaml("empty", match),
    code: policyCodes.invalidPolicy.code,
    line: 5,
    message: /spec\.validations/,
  },
  {
    name: "a misspelt field is MP0032 at the field itself",
    file: withExpression("typo", "true", "      messageExpresion: \"'x'\"\n"),
    code: policyCodes.invalidPolicy.code,
    line: 10,
    message: /unknown field "messageExpresion"/,
  },
  {
    name: "an unknown severity is MP0032 at severity",
    file: withExpression("loud", "true", "      severity: critical\n"),
    code: policyCodes.invalidPolicy.code,
    line: 10,
  },
  {
    name: "a path that is not a field path is MP0032 at path",
    file: withExpression("pointer", "true", "      path: spec..http\n"),
    code: policyCodes.invalidPolicy.code,
    line: 10,
    message: /field path/,
  },
  {
    name: "a name that is not a DNS subdomain is MP0032 at metadata.name",
    file: withExpression("Max_Timeout", "true"),
    code: policyCodes.invalidPolicy.code,
    line: 4,
  },
  {
    name: "an In selector without values is MP0032 at the values",
    file: policyYaml(
      "selector",
      `${match}    namespaceSelector:\n      matchExpressions: [{ key: env, operator: In }]\n  validations:\n    - expression: "true"\n`,
    ),
    code: policyCodes.invalidPolicy.code,
    line: 9,
    message: /operator In needs at least one value/,
  },
  {
    name: "a multi-line static message is MP0032",
    file: withExpression("chatty", "true", "      message: \"first\\nsecond\"\n"),
    code: policyCodes.invalidPolicy.code,
    line: 10,
  },
  {
    name: "CEL that does not parse is MP0033 at the exact column",
    file: withExpression("unparsable", "object.spec +"),
    code: policyCodes.celSyntax.code,
    line: 9,
    // `    - expression: "` is 19 characters; the error is at column 13 of the expression.
    column: 19 + 13,
  },
  {
    name: "an unknown variable is MP0034",
    file: withExpression("requester", "request.userInfo.username == 'admin'"),
    code: policyCodes.celUndeclared.code,
    line: 9,
    message: /undeclared reference to 'request'/,
  },
  {
    name: "an unknown function is MP0034",
    file: withExpression("helperless", "isSorted(object.spec.http)"),
    code: policyCodes.celUndeclared.code,
    line: 9,
    message: /function 'isSorted'/,
  },
  {
    name: "an operator without an overload for its operands is MP0035",
    file: withExpression("mismatch", "object.metadata.name == 'a' + 1"),
    code: policyCodes.celType.code,
    line: 9,
    message: /no matching overload for '_\+_' applied to '\(string, int\)'/,
  },
  {
    name: "a validation that is a string is MP0036",
    file: withExpression("stringly", "'valid'"),
    code: policyCodes.celResultType.code,
    line: 9,
    message: /evaluates to string, not bool/,
  },
  {
    name: "a messageExpression that is a bool is MP0036 at the messageExpression",
    file: withExpression("boolean-message", "true", "      messageExpression: \"size(object.spec) > 0\"\n"),
    code: policyCodes.celResultType.code,
    line: 10,
    message: /evaluates to bool, not string/,
  },
];

describe("loadPolicies: a malformed policy is a finding at its file and line, and the others still load", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { policies, findings } = loadPolicies([
        { path: "policies/good.yaml", content: good },
        { path: "policies/bad.yaml", content: c.file },
      ]);
      assert.deepEqual(
        policies.map((p) => p.name),
        ["labelled"],
      );
      assert.equal(findings.length, 1, JSON.stringify(findings, null, 2));
      const f = findings[0]!;
      assert.deepEqual([f.code, f.file, f.line], [c.code, "policies/bad.yaml", c.line]);
      if (c.column !== undefined) assert.equal(f.column, c.column);
      if (c.message) assert.match(f.message, c.message);
      assert.equal(f.severity, "error");
    });
  }

  it("the second policy with a name is MP0037 at its metadata.name; the first one applies", () => {
    const { policies, findings } = loadPolicies([
      { path: "a.yaml", content: good },
      { path: "b.yaml", content: `# the same name again\n${good.replace("has(object.metadata.labels)", "true")}` },
    ]);
    assert.equal(policies.length, 1);
    assert.equal(policies[0]!.source.file, "a.yaml");
    assert.deepEqual(
      findings.map((f) => [f.code, f.file, f.line]),
      [[policyCodes.duplicatePolicy.code, "b.yaml", 5]],
    );
    assert.match(findings[0]!.message, /first at a\.yaml:1/);
  });

  it("reports every broken expression of a policy, not just the first", () => {
    const doc = policyYaml(
      "twice-broken",
      `${match}  validations:\n    - expression: "object.("\n    - expression: "true"\n      messageExpression: "nosuch"\n`,
    );
    const { policies, findings } = loadPolicies([{ path: "p.yaml", content: doc }]);
    assert.deepEqual(policies, []);
    assert.deepEqual(
      findings.map((f) => [f.code, f.line, f.path]),
      [
        [policyCodes.celSyntax.code, 9, "spec.validations[0].expression"],
        [policyCodes.celUndeclared.code, 11, "spec.validations[1].messageExpression"],
      ],
    );
  });

  it("points into a literal block expression at the file line and column of the error", () => {
    const doc = policyYaml(
      "block",
      `${match}  validations:\n    - expression: |\n        has(object.spec) &&\n          object.spec.hosts.all(h, hostz.size() > 0)\n`,
    );
    const { findings } = loadPolicies([{ path: "p.yaml", content: doc }]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.code, policyCodes.celUndeclared.code);
    assert.match(f.message, /'hostz' \(line 2, column 28 of the expression\)/);
    // The expression's second line is line 11 of the file, indented by the block's 8 spaces.
    const line11 = doc.split("\n")[10]!;
    assert.deepEqual([f.line, f.column], [11, line11.indexOf("hostz") + 1]);
  });

  it("a file that holds a policy and a stray document keeps the policy", () => {
    const { policies, findings } = loadPolicies([
      { path: "mixed.yaml", content: `${good}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n` },
    ]);
    assert.deepEqual(
      policies.map((p) => p.name),
      ["labelled"],
    );
    assert.deepEqual(
      findings.map((f) => f.code),
      [policyCodes.notAPolicy.code],
    );
  });

  it("reads only YAML and JSON files of a policy directory", () => {
    const { policies, findings } = loadPolicies([
      { path: "policies/README.md", content: "# Our policies\n\nNot YAML: [" },
      { path: "policies/labelled.yml", content: good },
    ]);
    assert.deepEqual([policies.length, findings], [1, []]);
  });

  it("takes the title and description from the policy's annotations", () => {
    const doc = good.replace(
      "  name: labelled\n",
      "  name: labelled\n  annotations:\n    meshplan.io/title: Objects are labelled\n    meshplan.io/description: Every object has labels.\n",
    );
    const [p] = loadPolicies([{ path: "p.yaml", content: doc }]).policies;
    assert.deepEqual([p?.title, p?.description], ["Objects are labelled", "Every object has labels."]);
  });

  it("compiles each validation with its message, severity and path", () => {
    const doc = withExpression("described", "true", "      message: be nice\n      severity: warning\n      path: metadata.labels['app.kubernetes.io/name']\n");
    const [p] = loadPolicies([{ path: "p.yaml", content: doc }]).policies;
    const v = p!.validations[0]!;
    assert.deepEqual([v.message, v.severity, v.path], ["be nice", "warning", ["metadata", "labels", "app.kubernetes.io/name"]]);
    assert.deepEqual([...v.expression.variables], []);
  });
});
