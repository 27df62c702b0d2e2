/** The `meshplan` command: dispatches to subcommands and maps failures to exit codes. */
import { MESHPLAN_VERSION } from "../version.js";
import { applyCommand, applyHelp } from "./commands/apply.js";
import { diffCommand, diffHelp } from "./commands/diff.js";
import { driftCommand, driftHelp } from "./commands/drift.js";
import { lintCommand, lintHelp } from "./commands/lint.js";
import { planCommand, planHelp } from "./commands/plan.js";
import { routesCommand, routesHelp } from "./commands/routes.js";
import { serveCommand, serveHelp } from "./commands/serve.js";
import { traceCommand, traceHelp } from "./commands/trace.js";
import { exitCodes, InputError, UsageError } from "./errors.js";
import { processIo, type CliIo } from "./io.js";

type Command = { run: (argv: string[], io: CliIo) => Promise<number>; help: string; summary: string };

const commands: Record<string, Command> = {
  plan: { run: planCommand, help: planHelp, summary: "routing diff and findings between two revisions" },
  lint: { run: lintCommand, help: lintHelp, summary: "analyzers and organisational policies, as text, JSON or SARIF" },
  routes: { run: routesCommand, help: routesHelp, summary: "the effective routing table of a tree" },
  trace: { run: traceCommand, help: traceHelp, summary: "where one request goes, and whether it is allowed" },
  diff: { run: diffCommand, help: diffHelp, summary: "what apply would change in a cluster: objects and routing" },
  drift: { run: driftCommand, help: driftHelp, summary: "what changed in a cluster since git, and who changed it" },
  apply: { run: applyCommand, help: applyHelp, summary: "server-side apply to a cluster, with ApplySet prune" },
  serve: { run: serveCommand, help: serveHelp, summary: "the GitHub App webhook endpoint: checks every pull request" },
};

export const mainHelp = `Usage: meshplan <command> [options]

meshplan shows what a change to service-mesh manifests (Istio, SMI/OSM,
Gateway API, Ingress) does to live traffic, before it is merged; applies
them to clusters after merge; and reports what drifted since.

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join("\n")}

Run 'meshplan <command> --help' for a command's options.
Exit status: 0 clean, 1 findings at error severity (denied/no route for
trace; differences for diff and drift; a failed object for apply), 2 usage,
input or kubeconfig error.`;

export async function main(argv: string[], ioOverride?: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const quiet = rest.includes("--quiet") || rest.includes("-q");
  const io = ioOverride ?? processIo({ quiet });
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic && commands[topic]) io.out(commands[topic].help);
    else io.out(mainHelp);
    return name === undefined ? exitCodes.usage : exitCodes.clean;
  }
  if (name === "--version" || name === "-V") {
    io.out(`meshplan ${MESHPLAN_VERSION}`);
    return exitCodes.clean;
  }
  const command = commands[name];
  if (!command) {
    io.error(`unknown command "${name}"\n\n${mainHelp}`);
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.error(`${err.message}\nRun 'meshplan ${name} --help' for usage.`);
      return exitCodes.usage;
    }
    if (err instanceof InputError) {
      io.error(err.message);
      return exitCodes.usage;
    }
    throw err;
  }
}
