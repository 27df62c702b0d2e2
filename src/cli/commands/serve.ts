import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationError, gitHubAppVariables, githubAppCredentials, githubWebhookSecret } from "../../adapters/secrets/github-app-credentials.js";
import { InputError, UsageError } from "../errors.js";
import { parseCommand } from "../args.js";
import type { CliIo } from "../io.js";

export const serveHelp = `Usage: meshplan serve [--port N] [--host H]

Runs meshplan's GitHub App webhook endpoint on this machine: pull requests of
the repositories the app is installed on get the meshplan check run and plan
comment, and a push to the default branch is rolled out to the clusters of
meshplan.yaml (each through the kubeconfig context of the cluster's
\`context\`, default its name). It is the endpoint of the serverless
deployment, with an in-process queue instead of SQS.

  POST /webhooks/github   the GitHub App's webhook URL
  GET  /healthz           200 while running

Options:
  -p, --port N     port to listen on (default 3000; 0 picks a free port)
      --host H     address to listen on (default 127.0.0.1; 0.0.0.0 for every
                   interface, e.g. in a container)
      --kubeconfig FILE  kubeconfig for rollouts (default: $KUBECONFIG, else
                   ~/.kube/config)
  -h, --help       this help

Environment:
${Object.entries(gitHubAppVariables)
  .map(([name, what]) => `  ${name.padEnd(22)} ${what}`)
  .join("\n")}

The listening URL goes to stderr, then JSON log lines with secrets masked.
SIGINT or SIGTERM stops accepting deliveries, finishes the checks already
queued and exits 0; a second signal stops at once.
Exit status: 0 after a clean shutdown, 2 usage or configuration error.`;

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("serve", argv, {
    port: { type: "string", short: "p" },
    host: { type: "string" },
    kubeconfig: { type: "string" },
  });
  if (values.help) {
    io.out(serveHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no paths, got "${positionals[0]}"`, "serve");
  if (values.format !== undefined) throw new UsageError("serve writes JSON log lines and takes no --format", "serve");
  const port = portOption(values.port);
  const host = values.host ?? "127.0.0.1";

  // A value may be a Secrets Manager ARN; the client is loaded only then.
  const readSecret = async (arn: string) => {
    const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
    const { secretsManagerReader } = await import("../../adapters/secrets/secrets-manager.js");
    return secretsManagerReader(new SecretsManagerClient({}))(arn);
  };
  const [secret, credentials] = await Promise.allSettled([
    githubWebhookSecret(process.env, { readSecret }),
    githubAppCredentials(process.env, { readSecret }),
  ]);
  const problems = [secret, credentials].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (problems.length > 0) {
    for (const p of problems) if (!(p instanceof ConfigurationError)) throw p;
    throw new InputError(`${problems.map((p) => (p as Error).message).join("\n")}\nRun 'meshplan serve --help' for the variables.`);
  }
  const webhookSecret = (secret as PromiseFulfilledResult<string>).value;
  const appCredentials = (credentials as PromiseFulfilledResult<Awaited<ReturnType<typeof githubAppCredentials>>>).value;

  // The server, Octokit and the jobs load only for this command, not for every meshplan command.
  const [{ serve }, { createWebhookApp }, { githubJobDeps }, { createInProcessQueue }, { createJsonLogger }, { childLogger }, { runJob }, { readDefaultPack }, { localKubeconfigConnector }, { logDriftMetrics }] =
    await Promise.all([
      import("@hono/node-server"),
      import("../../server/webhook-app.js"),
      import("../../server/github-job-deps.js"),
      import("../../adapters/queue/in-process-queue.js"),
      import("../../adapters/log/json-logger.js"),
      import("../../adapters/log/child-logger.js"),
      import("../../jobs/run-job.js"),
      import("../default-pack.js"),
      import("../../adapters/kube/connect.js"),
      import("../../adapters/metrics/drift-metrics.js"),
    ]);

  const logger = createJsonLogger();
  const defaultPack = await readDefaultPack();
  // The queue runs jobs with jobDeps, and jobDeps hands the queue to the rollout job that fans out per cluster.
  let jobDeps: import("../../jobs/run-job.js").JobDeps | undefined;
  const queue = createInProcessQueue(
    async (job) => {
      const log = childLogger(logger, { delivery: job.deliveryId, kind: job.kind, repo: `${job.repo.owner}/${job.repo.repo}` });
      const outcome = await runJob(job, { ...jobDeps!, logger: log });
      if (outcome.status === "failed") log.error("job failed and reported it", { detail: outcome.detail });
      else log.info(`job ${outcome.status}`, { detail: outcome.detail });
    },
    { logger },
  );
  jobDeps = githubJobDeps(appCredentials, {
    logger,
    clock: { now: () => new Date() },
    defaultPack,
    queue,
    connectCluster: localKubeconfigConnector(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
    metrics: logDriftMetrics(logger),
  });
  // A client ID (Iv…) cannot be compared with the numeric app id in check suite payloads.
  const appId = /^\d+$/.test(appCredentials.appId) ? Number(appCredentials.appId) : undefined;
  const app = createWebhookApp({ secret: webhookSecret, appId, queue, logger });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server));
    s.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" || error.code === "EADDRNOTAVAIL" ? new InputError(`cannot listen on ${host}:${port}: ${error.code}`, { cause: error }) : error),
    );
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  io.progress(`listening on http://${shownHost}:${address.port}/webhooks/github`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      // Removing both handlers gives a second signal its default action: stop at once.
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(s);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  io.progress(`${signal}: no more deliveries; finishing queued checks`);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await queue.drain();
  io.progress("stopped");
  return 0;
}

function portOption(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`, "serve");
  return port;
}
