import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { plan } from "../../jobs/plan.js";
import type { PlanTree } from "../../jobs/plan.js";
import { renderPlanJson } from "../../report/json.js";
import { renderPlanMarkdown } from "../../report/markdown.js";
import { planExitCode } from "../../report/plan-report.js";
import { renderPlanText } from "../../report/text.js";
import { colorOption, formatOption, parseCommand } from "../args.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { readDefaultPack } from "../default-pack.js";
import { readDiskTree, readRevisionTree } from "../trees.js";

export const planHelp = `Usage: meshplan plan [--base REF] [--head REF] [--repo DIR] [PATH...]
       meshplan plan --base-dir DIR --head-dir DIR [PATH...]
       meshplan plan --example bookinfo|bookstore

Shows how the effective traffic routing changes from one revision to another:
shares per backend, added/removed/reordered rules, policy changes (timeout,
retries, fault, mirror), access newly allowed or denied, and the findings of
the head revision.

Revisions are read from a local git repository with git itself (no checkout).
Without --head, the head is the working tree of --repo; without --base, HEAD.

Options:
  --base REF           base revision (default: HEAD)
  --head REF           head revision (default: the working tree)
  --repo DIR           git repository (default: .)
  --base-dir DIR       read the base from a directory instead of git
  --head-dir DIR       read the head from a directory instead of git
  --example NAME       plan a bundled example (bookinfo, bookstore)
  -f, --format FMT     text (default), markdown, json
  -q, --quiet          no progress on stderr
      --no-color       no ANSI colour (also NO_COLOR=1)
  -h, --help           this help

PATH limits the plan to those files or directories (relative to the repository).

Both revisions are checked with the BASE revision's meshplan.yaml and policies,
so a change cannot weaken the checks that judge it; when the head changes them,
the plan says so and previews what the new rules would report.

Exit status: 0 no error findings on head, 1 error findings on head,
2 usage or input error.`;

const examplesDir = fileURLToPath(new URL("../../../examples/", import.meta.url));

export async function planCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("plan", argv, {
    base: { type: "string" },
    head: { type: "string" },
    repo: { type: "string" },
    "base-dir": { type: "string" },
    "head-dir": { type: "string" },
    example: { type: "string" },
  });
  if (values.help) {
    io.out(planHelp);
    return 0;
  }
  const format = formatOption("plan", values.format, ["text", "markdown", "json"]);
  const color = colorOption(values) ?? io.color;
  if (values.base && values["base-dir"]) throw new UsageError("use either --base or --base-dir, not both", "plan");
  if (values.head && values["head-dir"]) throw new UsageError("use either --head or --head-dir, not both", "plan");

  let base: PlanTree;
  let head: PlanTree;
  if (values.example) {
    const dir = join(examplesDir, values.example);
    if (!/^[a-z0-9-]+$/.test(values.example) || !existsSync(join(dir, "base"))) {
      throw new UsageError(`no bundled example "${values.example}" (try bookinfo or bookstore)`, "plan");
    }
    base = await readDiskTree(join(dir, "base"), [], `examples/${values.example}/base`);
    head = await readDiskTree(join(dir, "head"), [], `examples/${values.example}/head`);
  } else {
    // Whole revisions are read: meshplan.yaml and the policies live beside the manifests; PATH narrows the plan later.
    const repo = values.repo ?? io.cwd;
    base = values["base-dir"]
      ? await readDiskTree(values["base-dir"], [], values["base-dir"])
      : await readRevisionTree(repo, values.base ?? "HEAD", []);
    head = values["head-dir"]
      ? await readDiskTree(values["head-dir"], [], values["head-dir"])
      : values.head
        ? await readRevisionTree(repo, values.head, [])
        : await readDiskTree(repo, [], "working tree");
  }
  io.progress(`base ${base.label}${base.commit ? ` (${base.commit.slice(0, 12)})` : ""}: ${base.files.length} files`);
  io.progress(`head ${head.label}${head.commit ? ` (${head.commit.slice(0, 12)})` : ""}: ${head.files.length} files`);

  const { report } = plan(base, head, { defaultPack: await readDefaultPack(), paths: positionals });
  io.progress(`planned ${report.head.hosts} hosts, ${report.findings.length} findings`);
  io.out(
    format === "json" ? renderPlanJson(report) : format === "markdown" ? renderPlanMarkdown(report) : renderPlanText(report, { color }),
  );
  return planExitCode(report);
}
