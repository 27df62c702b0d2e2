/**
 * The CDK app: `npm run synth` writes the CloudFormation template to cdk.out/ without AWS
 * access; `npx cdk deploy` deploys it (docs/deploy.md). Settings come from CDK context
 * (`-c key=value` or cdk.json): githubAppId, clusters (comma-separated), driftRepositories
 * (comma-separated owner/repo; none: no drift schedule), driftRateMinutes, workerConcurrency,
 * secretPrefix, alarmTopicArn, githubApiUrl.
 * The function bundles must be built first: npm run build:functions.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { MeshplanStack } from "../lib/meshplan-stack.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const functionsDir = join(root, "dist", "functions");

const app = new App({ outdir: process.env.CDK_OUTDIR ?? join(root, "cdk.out") });
const context = (key: string): string | undefined => {
  const v: unknown = app.node.tryGetContext(key);
  return v === undefined || v === null || v === "" ? undefined : String(v);
};
const list = (key: string) => (context(key) ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

if (!existsSync(join(functionsDir, "webhook", "index.mjs"))) {
  process.stderr.write("dist/functions is missing: run `npm run build:functions` first\n");
  process.exit(2);
}
const driftRate = context("driftRateMinutes");
const workerConcurrency = context("workerConcurrency");
new MeshplanStack(app, context("stackName") ?? "Meshplan", {
  functionsDir,
  githubAppId: context("githubAppId") ?? "0",
  clusters: list("clusters"),
  driftRepositories: list("driftRepositories"),
  ...(driftRate ? { driftRateMinutes: Number(driftRate) } : {}),
  ...(workerConcurrency ? { workerConcurrency: Number(workerConcurrency) } : {}),
  ...(context("secretPrefix") ? { secretPrefix: context("secretPrefix")! } : {}),
  ...(context("alarmTopicArn") ? { alarmTopicArn: context("alarmTopicArn")! } : {}),
  ...(context("githubApiUrl") ? { githubApiUrl: context("githubApiUrl")! } : {}),
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } } : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
process.stderr.write(`synthesized to ${app.outdir}\n`);
