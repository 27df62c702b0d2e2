/**
 * Writes docs/rules.md from the code catalogue (src/lint/catalogue.ts): one
 * section per finding code, grouped by the part of meshplan that reports it.
 * Run with `npm run docs:rules` after adding or changing a code;
 * test/lint/catalogue.test.ts fails while the file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CodeInfo } from "../src/findings.js";
import { codeCatalogue } from "../src/lint/catalogue.js";

interface Group {
  title: string;
  intro: string;
  holds(n: number): boolean;
}

/** Code ranges, in the order a tree goes through meshplan. */
const groups: Group[] = [
  {
    title: "Input (MP0001–MP0019, MP0090)",
    intro: "Problems found while reading and validating the manifests, before any routing is computed, and meshplan's own failures.",
    holds: (n) => n < 20 || (n >= 90 && n < 100),
  },
  {
    title: "Istio routing engine (MP0200–MP0299)",
    intro: "Raised while computing the effective routing of VirtualServices, DestinationRules and AuthorizationPolicies.",
    holds: (n) => n >= 200 && n < 300,
  },
  {
    title: "Gateway API and Ingress routing engines (MP0300–MP0399)",
    intro: "Raised while attaching HTTPRoutes and GRPCRoutes to Gateways and Services, and while serving Ingresses as ingress-nginx does.",
    holds: (n) => n >= 300 && n < 400,
  },
  {
    title: "SMI and OSM routing engine (MP0400–MP0499)",
    intro: "Raised while computing TrafficSplit routing and TrafficTarget, Egress and IngressBackend access.",
    holds: (n) => n >= 400 && n < 500,
  },
  {
    title: "Analyzers (MP1000–MP1999)",
    intro: "The built-in lint rules (src/lint/rules/), run on the model and the routing table of the whole tree.",
    holds: (n) => n >= 1000 && n < 2000,
  },
  {
    title: "Configuration (MP0020–MP0029)",
    intro: "Problems in meshplan.yaml and in `meshplan.io/ignore` annotations.",
    holds: (n) => n >= 20 && n < 30,
  },
  {
    title: "Organisational policies (MP0030–MP0089)",
    intro:
      "Problems in the CEL policies themselves (docs/policies.md). A policy's own findings use the policy's name as their " +
      "code and are documented with the policy.",
    holds: (n) => n >= 30 && n < 90,
  },
];

const intro = `# Finding codes

<!-- Generated from src/lint/catalogue.ts by \`npm run docs:rules\`; do not edit by hand. -->

Every finding meshplan reports has a stable code, a default severity and, where one exists, the
equivalent \`istioctl analyze\` (IST) or Kiali (KIA) codes. This page lists all of them.

## Silencing and re-grading findings

Silence a finding on one resource with an annotation that names the code and says why:

\`\`\`yaml
metadata:
  annotations:
    meshplan.io/ignore: "MP1001: payments is routed by the billing team's gateway"
\`\`\`

Several entries are separated by \`;\`. An entry without a reason silences nothing and is itself a
finding (MP0021); one for a code the resource no longer triggers is reported as unused (MP0023).

Change a code's severity, or turn it off, for the whole repository in \`meshplan.yaml\`; exemptions
silence codes for matching namespaces, kinds, names or paths, with a required reason:

\`\`\`yaml
rules:
  MP1102: warning
  MP1107: off
exemptions:
  - codes: [MP1103]
    namespaces: [legacy-*]
    reason: legacy workloads get their service accounts from another repository
\`\`\`

See [configuration.md](configuration.md) for every setting. In a pull request both are read from
the base revision, so a change cannot silence the findings it introduces.
`;

function section(c: CodeInfo): string {
  const equivalents = c.equivalents?.length ? c.equivalents.map((e) => `\`${e}\``).join(", ") : "none";
  return `### ${c.code}: ${c.title}\n\nDefault severity: **${c.severity}** · Equivalent istioctl/Kiali codes: ${equivalents}\n\n${c.docs}\n`;
}

/** The whole of docs/rules.md for a catalogue. */
export function rulesDoc(catalogue: readonly CodeInfo[] = codeCatalogue()): string {
  const parts = [intro];
  const placed = new Set<string>();
  for (const g of groups) {
    const codes = catalogue.filter((c) => {
      const m = /^MP(\d{4})$/.exec(c.code);
      return m !== null && g.holds(Number(m[1]));
    });
    if (!codes.length) continue;
    parts.push(`## ${g.title}\n\n${g.intro}\n\n| code | title | severity |\n|---|---|---|\n${codes.map((c) => `| ${c.code} | ${c.title} | ${c.severity} |`).join("\n")}\n`);
    for (const c of codes) {
      parts.push(section(c));
      placed.add(c.code);
    }
  }
  const rest = catalogue.filter((c) => !placed.has(c.code));
  if (rest.length) parts.push(`## Other codes\n\n${rest.map(section).join("\n")}`);
  return `${parts.join("\n").trimEnd()}\n`;
}

export const rulesDocPath = fileURLToPath(new URL("../docs/rules.md", import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(rulesDocPath, rulesDoc());
  process.stdout.write("wrote docs/rules.md\n");
}
