/** A VirtualService whose http rules are given as YAML flow mappings, for the rule-order tests. */
export function httpRules(name: string, rules: string[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [${name}]
  http:
${rules.map((r) => `  - ${r}`).join("\n")}
`;
}

/** A rule routing to `dest`, with the given match blocks (none: no `match`). */
export function rule(matches: string[] | null, dest = "web", extra = ""): string {
  const match = matches ? `match: [${matches.join(", ")}], ` : "";
  return `{ ${match}route: [{ destination: { host: ${dest} } }]${extra ? `, ${extra}` : ""} }`;
}
