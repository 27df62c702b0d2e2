/**
 * The CDK stack as CloudFormation: the resources the serverless deployment needs, their key
 * settings, least-privilege IAM, and cdk-nag's AwsSolutions pack run as CDK policy validation
 * (the same plugin infra/bin/meshplan.ts registers). The functions are bundled once and the
 * stacks synthesized once; every test reads the shared templates.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { FUNCTION_SETTINGS, MeshplanStack, type MeshplanStackProps } from "../../infra/lib/meshplan-stack.js";
import { WORKER_HEAP_MIB } from "../../infra/lib/worker-memory.js";
import { buildFunctions } from "../../scripts/build-functions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const functionsDir = join(root, "dist", `test-functions-${process.pid}`);
const scratch: string[] = [functionsDir];

const CLUSTERS = ["prod", "staging"];
const baseProps = (): MeshplanStackProps => ({ functionsDir, githubAppId: "123456", clusters: CLUSTERS, driftRepositories: ["acme/mesh-config"] });
const ALARM_TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:ops-alarms";

/** policy-validation report as aws-cdk-lib writes it to `<outdir>/validation-report.json`. */
interface ReportedViolation {
  ruleName: string;
  severity: string;
  description: string;
  violatingConstructs: { constructPath: string }[];
}
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: "success" | "failure";
    violations: ReportedViolation[];
  }[];
}

interface Synthesis {
  error: unknown;
  report: ValidationReport;
}

/** Synthesizes `app` with cdk-nag's AwsSolutions pack registered as infra/bin/meshplan.ts does. */
function synthesizeWithNag(app: App): Synthesis {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  const report = JSON.parse(readFileSync(join(app.outdir, "validation-report.json"), "utf8")) as ValidationReport;
  return { error, report };
}

async function newApp(): Promise<App> {
  const outdir = await mkdtemp(join(tmpdir(), "meshplan-cdk-"));
  scratch.push(outdir);
  return new App({ outdir });
}

type Json = Record<string, any>;
type Resources = Record<string, Json>;

let app: App;
let synthesis: Synthesis;
/** The stack with its defaults: a new alarm topic, a drift check every 60 minutes. */
let template: Template;
/** The same stack with a custom drift rate, secret prefix and an existing alarm topic. */
let custom: Template;

before(async () => {
  await buildFunctions(functionsDir);
  app = await newApp();
  const stack = new MeshplanStack(app, "Meshplan", baseProps());
  const customStack = new MeshplanStack(app, "MeshplanCustom", {
    ...baseProps(),
    clusters: ["eu-1"],
    driftRateMinutes: 15,
    secretPrefix: "mesh-eu",
    alarmTopicArn: ALARM_TOPIC_ARN,
  });
  synthesis = synthesizeWithNag(app);
  if (synthesis.error) return;
  template = Template.fromStack(stack);
  custom = Template.fromStack(customStack);
});

after(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ "Fn::GetAtt": [logicalId, "Arn"] });
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function only(resources: Resources, what: string): [string, Json] {
  const entries = Object.entries(resources);
  assert.equal(entries.length, 1, `exactly one ${what}, found ${entries.map(([id]) => id).join(", ") || "none"}`);
  return entries[0]!;
}

function queues(t: Template) {
  const all = t.findResources("AWS::SQS::Queue");
  const [jobsId, jobs] = only(t.findResources("AWS::SQS::Queue", { Properties: { RedrivePolicy: {} } }), "queue with a redrive policy");
  const [dlqId, dlq] = only(Object.fromEntries(Object.entries(all).filter(([id]) => id !== jobsId)), "dead-letter queue");
  return { jobsId, jobs, dlqId, dlq };
}

interface FunctionParts {
  id: string;
  props: Json;
  roleId: string;
  logGroupId: string;
  /** Every statement of every inline policy attached to the function's role. */
  statements: Json[];
}

function functionsOf(t: Template): Record<keyof typeof FUNCTION_SETTINGS, FunctionParts> {
  const policies = Object.values(t.findResources("AWS::IAM::Policy"));
  const byName: Partial<Record<string, FunctionParts>> = {};
  for (const [id, fn] of Object.entries(t.findResources("AWS::Lambda::Function"))) {
    const name = /^meshplan (\w+)$/.exec(fn.Properties.Description)?.[1];
    assert.ok(name, `function ${id} is one of meshplan's: ${fn.Properties.Description}`);
    const roleId = fn.Properties.Role["Fn::GetAtt"][0] as string;
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
    const statements = policies
      .filter((p) => asList<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
      .flatMap((p) => asList<Json>(p.Properties.PolicyDocument.Statement));
    byName[name] = { id, props: fn.Properties, roleId, logGroupId, statements };
  }
  assert.deepEqual(Object.keys(byName).sort(), ["drift", "webhook", "worker"]);
  return byName as Record<keyof typeof FUNCTION_SETTINGS, FunctionParts>;
}

function secretIds(t: Template): Record<string, string> {
  return Object.fromEntries(Object.entries(t.findResources("AWS::SecretsManager::Secret")).map(([id, s]) => [s.Properties.Name as string, id]));
}

/** The resources of a role's Allow statements that grant `action`. */
function resourcesGranted(fn: FunctionParts, action: string): unknown[] {
  return fn.statements.filter((s) => s.Effect === "Allow" && asList<string>(s.Action).includes(action)).flatMap((s) => asList(s.Resource));
}

const sortedJson = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();

describe("cdk-nag AwsSolutions", () => {
  it("synthesizes with no unacknowledged error", () => {
    assert.equal(synthesis.error, undefined, `synth threw: ${String(synthesis.error)}`);
    const nag = synthesis.report.pluginReports.filter((r) => r.pluginName.includes("AwsSolutions"));
    for (const r of nag) {
      assert.equal(r.conclusion, "success");
      const errors = r.violations.filter((v) => v.severity === "error" || v.severity === "fatal");
      assert.deepEqual(errors.map((v) => `${v.ruleName} ${v.violatingConstructs.map((c) => c.constructPath).join(", ")}`), []);
    }
  });

  it("acknowledges only the findings reviewed here, each with its reason", () => {
    // cdk-nag leaves acknowledged findings out of the report; the acknowledgements are construct metadata.
    const acknowledged = app.node
      .findAll()
      .filter((c) => c.node.path.startsWith("Meshplan/"))
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ""), reason, path: c.node.path }))),
      );
    for (const a of acknowledged) assert.ok(typeof a.reason === "string" && a.reason.trim().length >= 40, `${a.id} on ${a.path} says why`);
    const where = (id: string) => acknowledged.filter((a) => a.id === id).map((a) => a.path).sort();
    assert.deepEqual([...new Set(acknowledged.map((a) => a.id))].sort(), ["AwsSolutions-APIG4", "AwsSolutions-SMG4", "AwsSolutions-SNS2", "AwsSolutions-SQS3"]);
    // Rotation happens in GitHub and in the clusters: every secret, and nothing else.
    assert.deepEqual(where("AwsSolutions-SMG4"), ["Meshplan/GitHubAppPrivateKey", "Meshplan/GitHubWebhookSecret", "Meshplan/Kubeconfig-prod", "Meshplan/Kubeconfig-staging"]);
    // Only the dead-letter queue itself goes without a dead-letter queue.
    assert.deepEqual(where("AwsSolutions-SQS3"), ["Meshplan/JobDeadLetters"]);
    // GitHub signs deliveries; it cannot present an authorizer's credentials.
    assert.equal(where("AwsSolutions-APIG4").length, 1);
    assert.match(where("AwsSolutions-APIG4")[0]!, /^Meshplan\/WebhookApi\//);
    assert.deepEqual(where("AwsSolutions-SNS2"), ["Meshplan/AlarmTopic"]);
  });

  it("fails synth on a queue without dead-letter queue and TLS: the clean result is not vacuous", async () => {
    const app = await newApp();
    new MeshplanStack(app, "Meshplan", baseProps());
    new Queue(new Stack(app, "Careless"), "Unprotected");
    const { error, report } = synthesizeWithNag(app);
    assert.ok(error instanceof Error, "synth throws");
    assert.match(error.message, /ValidationFailed|Validation failed/);
    const failed = report.pluginReports.flatMap((r) => r.violations).filter((v) => v.violatingConstructs.some((c) => c.constructPath.startsWith("Careless/")));
    const rules = new Set(failed.map((v) => v.ruleName));
    assert.ok(rules.has("AwsSolutions-SQS3"), `SQS3 (no DLQ) reported: ${[...rules].join(", ")}`);
    assert.ok(rules.has("AwsSolutions-SQS4"), `SQS4 (no TLS-only policy) reported: ${[...rules].join(", ")}`);
    const meshplanErrors = report.pluginReports
      .flatMap((r) => r.violations)
      .filter((v) => v.severity === "error" && v.violatingConstructs.some((c) => c.constructPath.startsWith("Meshplan/")));
    assert.deepEqual(meshplanErrors.map((v) => v.ruleName), [], "the acknowledgements cover meshplan's own resources only");
  });
});

describe("job queue", () => {
  it("is FIFO with a FIFO dead-letter queue after 5 receives", () => {
    const { jobs, dlq, dlqId } = queues(template);
    assert.equal(jobs.Properties.FifoQueue, true);
    assert.equal(dlq.Properties.FifoQueue, true);
    assert.deepEqual(jobs.Properties.RedrivePolicy, { deadLetterTargetArn: arnOf(dlqId), maxReceiveCount: 5 });
  });

  it("keeps a message invisible for at least six times the worker's timeout", () => {
    const { jobs } = queues(template);
    assert.ok(jobs.Properties.VisibilityTimeout >= 6 * FUNCTION_SETTINGS.worker.timeout.toSeconds(), `${jobs.Properties.VisibilityTimeout} s`);
  });

  it("encrypts both queues and denies every request not sent over TLS", () => {
    const { jobsId, jobs, dlqId, dlq } = queues(template);
    for (const [id, q] of [[jobsId, jobs], [dlqId, dlq]] as const) {
      assert.equal(q.Properties.SqsManagedSseEnabled, true, `${id} SSE`);
      const policies = Object.values(template.findResources("AWS::SQS::QueuePolicy")).filter((p) => asList<Json>(p.Properties.Queues).some((x) => x.Ref === id));
      const denies = policies.flatMap((p) => asList<Json>(p.Properties.PolicyDocument.Statement)).filter((s) => s.Effect === "Deny");
      assert.ok(
        denies.some((s) => s.Condition?.Bool?.["aws:SecureTransport"] === "false" && asList(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(arnOf(id)))),
        `${id} denies non-TLS requests`,
      );
    }
  });

  it("feeds the worker in batches of 5 with partial batch failures", () => {
    const { jobsId } = queues(template);
    const { worker } = functionsOf(template);
    const [, mapping] = only(template.findResources("AWS::Lambda::EventSourceMapping"), "event source mapping");
    assert.deepEqual(mapping.Properties.EventSourceArn, arnOf(jobsId));
    assert.deepEqual(mapping.Properties.FunctionName, ref(worker.id));
    assert.equal(mapping.Properties.BatchSize, 5);
    assert.deepEqual(mapping.Properties.FunctionResponseTypes, ["ReportBatchItemFailures"]);
  });
});

describe("functions", () => {
  for (const name of ["webhook", "worker", "drift"] as const) {
    it(`${name}: Node.js 24 on arm64, index.handler, its memory and timeout, JSON logs to its own log group`, () => {
      const fn = functionsOf(template)[name];
      assert.equal(fn.props.Runtime, "nodejs24.x");
      assert.deepEqual(fn.props.Architectures, ["arm64"]);
      assert.equal(fn.props.Handler, "index.handler");
      assert.equal(fn.props.MemorySize, FUNCTION_SETTINGS[name].memoryMiB);
      assert.equal(fn.props.Timeout, FUNCTION_SETTINGS[name].timeout.toSeconds());
      assert.equal(fn.props.LoggingConfig.LogFormat, "JSON");
      const logGroup = template.findResources("AWS::Logs::LogGroup")[fn.logGroupId];
      assert.ok(logGroup, "its log group is in the stack");
      assert.equal(logGroup.Properties.RetentionInDays, 30);
    });
  }

  it("worker: a V8 heap limit of its own, above the quarter of its memory Node would choose, within its memory", () => {
    const fn = functionsOf(template).worker;
    const options: string = fn.props.Environment.Variables.NODE_OPTIONS;
    assert.match(options, /(^| )--enable-source-maps( |$)/);
    const heap = Number(/--max-old-space-size=(\d+)/.exec(options)?.[1]);
    assert.equal(heap, WORKER_HEAP_MIB);
    assert.ok(heap > fn.props.MemorySize / 4, `${heap} MiB`);
    // What the heap cannot use: young generation, code, the revisions' archives and files.
    assert.ok(fn.props.MemorySize - heap >= 512, `${fn.props.MemorySize - heap} MiB left beside the heap`);
  });

  it("webhook and drift: V8 sizes their heap from their memory", () => {
    for (const name of ["webhook", "drift"] as const) {
      assert.doesNotMatch(functionsOf(template)[name].props.Environment.Variables.NODE_OPTIONS, /max-old-space-size/);
    }
  });

  it("caps the worker's concurrency; the webhook and drift functions have no reservation", () => {
    const fns = functionsOf(template);
    assert.equal(fns.worker.props.ReservedConcurrentExecutions, 5);
    assert.equal(fns.webhook.props.ReservedConcurrentExecutions, undefined);
    assert.equal(fns.drift.props.ReservedConcurrentExecutions, undefined);
  });

  it("passes secrets as ARNs, never values, and the kubeconfig prefixes the worker may read", () => {
    const fns = functionsOf(template);
    const secrets = secretIds(template);
    assert.deepEqual(fns.webhook.props.Environment.Variables.GITHUB_WEBHOOK_SECRET, ref(secrets["meshplan/github-webhook-secret"]!));
    assert.deepEqual(fns.worker.props.Environment.Variables.GITHUB_PRIVATE_KEY, ref(secrets["meshplan/github-app-private-key"]!));
    assert.deepEqual(fns.drift.props.Environment.Variables.GITHUB_PRIVATE_KEY, ref(secrets["meshplan/github-app-private-key"]!));
    assert.equal(fns.webhook.props.Environment.Variables.GITHUB_PRIVATE_KEY, undefined);
    // By name and by ARN, as meshplan.yaml's kubeconfigSecret may give either.
    const prefixes = JSON.stringify(fns.worker.props.Environment.Variables.MESHPLAN_KUBECONFIG_SECRET_PREFIXES);
    assert.match(prefixes, /"meshplan\/kubeconfig\/,arn:",/);
    assert.match(prefixes, /":secret:meshplan\/kubeconfig\/"/);
    assert.equal(fns.drift.props.Environment.Variables.MESHPLAN_DRIFT_REPOSITORIES, "acme/mesh-config");
    for (const fn of Object.values(fns)) assert.equal(fn.props.Environment.Variables.GITHUB_APP_ID, "123456");
  });
});

describe("drift schedule", () => {
  const scheduleOf = (t: Template) => {
    const [, rule] = only(t.findResources("AWS::Events::Rule"), "EventBridge rule");
    const { drift } = functionsOf(t);
    const [aliasId] = only(t.findResources("AWS::Lambda::Alias", { Properties: { FunctionName: ref(drift.id) } }), "drift alias");
    return { rule, aliasId };
  };

  it("checks every 60 minutes by default, invoking the drift function's live alias", () => {
    const { rule, aliasId } = scheduleOf(template);
    assert.equal(rule.Properties.ScheduleExpression, "rate(1 hour)");
    assert.equal(rule.Properties.State, "ENABLED");
    assert.deepEqual(rule.Properties.Targets.map((t: Json) => t.Arn), [ref(aliasId)]);
    const [, permission] = only(
      template.findResources("AWS::Lambda::Permission", { Properties: { Principal: "events.amazonaws.com" } }),
      "EventBridge invoke permission",
    );
    assert.deepEqual(permission.Properties.FunctionName, ref(aliasId));
  });

  it("takes a custom rate in minutes", () => {
    assert.equal(scheduleOf(custom).rule.Properties.ScheduleExpression, "rate(15 minutes)");
  });
});

describe("webhook endpoint", () => {
  it("routes POST /webhooks/github to the webhook function's live alias, and nothing else", () => {
    const [, route] = only(template.findResources("AWS::ApiGatewayV2::Route"), "route");
    assert.equal(route.Properties.RouteKey, "POST /webhooks/github");
    // Target: "integrations/<id>", joined in the template.
    const [prefix, integrationRef] = route.Properties.Target["Fn::Join"][1];
    assert.equal(prefix, "integrations/");
    const integrationId = integrationRef.Ref as string;
    const integration = template.findResources("AWS::ApiGatewayV2::Integration")[integrationId];
    assert.ok(integration, `route target ${JSON.stringify(route.Properties.Target)} is an integration`);
    const { webhook } = functionsOf(template);
    const [aliasId] = only(template.findResources("AWS::Lambda::Alias", { Properties: { FunctionName: ref(webhook.id) } }), "webhook alias");
    assert.deepEqual(integration.Properties.IntegrationUri, ref(aliasId));
  });

  it("logs every request of the $default stage to its access log group", () => {
    const [, stage] = only(template.findResources("AWS::ApiGatewayV2::Stage"), "stage");
    assert.equal(stage.Properties.StageName, "$default");
    assert.equal(stage.Properties.AutoDeploy, true);
    const destination = stage.Properties.AccessLogSettings?.DestinationArn;
    assert.ok(destination?.["Fn::GetAtt"], "access logs go to a log group of the stack");
    assert.ok(template.findResources("AWS::Logs::LogGroup")[destination["Fn::GetAtt"][0]]);
    assert.ok(stage.Properties.AccessLogSettings.Format, "with a log format");
  });

  it("outputs the webhook URL for the GitHub App's settings", () => {
    const outputs = template.findOutputs("WebhookUrl");
    assert.match(JSON.stringify(outputs), /\/webhooks\/github/);
  });
});

describe("secrets", () => {
  it("holds the private key, the webhook secret and one kubeconfig per cluster", () => {
    assert.deepEqual(Object.keys(secretIds(template)).sort(), [
      "meshplan/github-app-private-key",
      "meshplan/github-webhook-secret",
      "meshplan/kubeconfig/prod",
      "meshplan/kubeconfig/staging",
    ]);
    assert.deepEqual(Object.keys(secretIds(custom)).sort(), ["mesh-eu/github-app-private-key", "mesh-eu/github-webhook-secret", "mesh-eu/kubeconfig/eu-1"]);
  });

  it("refuses a cluster name meshplan.yaml could not hold", () => {
    assert.throws(() => new MeshplanStack(new App(), "Bad", { ...baseProps(), clusters: ["prod/eu"] }), /cluster name "prod\/eu"/);
  });
});

describe("IAM least privilege", () => {
  for (const [label, t] of [["default", () => template], ["custom", () => custom]] as const) {
    it(`${label}: no policy statement names resource "*" or an action with "*"`, () => {
      const policies = t().findResources("AWS::IAM::Policy");
      assert.ok(Object.keys(policies).length >= 3);
      for (const [id, p] of Object.entries(policies)) {
        for (const s of asList<Json>(p.Properties.PolicyDocument.Statement)) {
          for (const r of asList(s.Resource)) assert.notEqual(r, "*", `${id}: ${JSON.stringify(s)}`);
          for (const a of asList<string>(s.Action)) assert.ok(!a.includes("*"), `${id}: action ${a}`);
          assert.equal(s.NotAction, undefined, `${id}: NotAction`);
          assert.equal(s.NotResource, undefined, `${id}: NotResource`);
        }
      }
    });
  }

  it("the webhook role reads the webhook secret only: not the private key, not a kubeconfig", () => {
    const { webhook } = functionsOf(template);
    const secrets = secretIds(template);
    assert.deepEqual(resourcesGranted(webhook, "secretsmanager:GetSecretValue"), [ref(secrets["meshplan/github-webhook-secret"]!)]);
    const secretActions = webhook.statements.flatMap((s) => asList<string>(s.Action)).filter((a) => a.startsWith("secretsmanager:"));
    assert.deepEqual([...new Set(secretActions)], ["secretsmanager:GetSecretValue"]);
  });

  it("the worker role reads exactly the private key and the kubeconfigs", () => {
    const { worker } = functionsOf(template);
    const secrets = secretIds(template);
    const expected = ["meshplan/github-app-private-key", "meshplan/kubeconfig/prod", "meshplan/kubeconfig/staging"].map((n) => ref(secrets[n]!));
    assert.deepEqual(sortedJson(resourcesGranted(worker, "secretsmanager:GetSecretValue")), sortedJson(expected));
  });

  it("the drift role reads the private key only", () => {
    const { drift } = functionsOf(template);
    const secrets = secretIds(template);
    assert.deepEqual(resourcesGranted(drift, "secretsmanager:GetSecretValue"), [ref(secrets["meshplan/github-app-private-key"]!)]);
  });

  it("every role uses the job queue only, and only the worker receives and deletes", () => {
    const { jobsId } = queues(template);
    const fns = functionsOf(template);
    for (const [name, fn] of Object.entries(fns)) {
      const sqs = fn.statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith("sqs:")));
      assert.ok(sqs.length > 0, `${name} uses the queue`);
      for (const s of sqs) assert.deepEqual(asList(s.Resource), [arnOf(jobsId)], `${name}: ${JSON.stringify(s)}`);
    }
    assert.deepEqual(resourcesGranted(fns.webhook, "sqs:ReceiveMessage"), []);
    assert.deepEqual(resourcesGranted(fns.drift, "sqs:DeleteMessage"), []);
    assert.deepEqual(new Set(sortedJson(resourcesGranted(fns.worker, "sqs:DeleteMessage"))), new Set(sortedJson([arnOf(jobsId)])));
  });

  it("each role writes logs to its own function's log group and no other", () => {
    for (const [name, fn] of Object.entries(functionsOf(template))) {
      const logs = fn.statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith("logs:")));
      assert.ok(logs.length > 0, `${name} may log`);
      for (const s of logs) assert.deepEqual(asList(s.Resource), [arnOf(fn.logGroupId)], `${name}: ${JSON.stringify(s)}`);
      assert.deepEqual(resourcesGranted(fn, "logs:CreateLogGroup"), [], `${name} creates no log group`);
    }
  });

  it("no function role has a managed policy, an inline policy of its own or another role's policy", () => {
    const fns = functionsOf(template);
    const roles = template.findResources("AWS::IAM::Role");
    for (const [name, fn] of Object.entries(fns)) {
      const role = roles[fn.roleId]!;
      assert.deepEqual(asList(role.Properties.ManagedPolicyArns), [], `${name} role: managed policies`);
      assert.deepEqual(asList(role.Properties.Policies), [], `${name} role: inline policies are all AWS::IAM::Policy resources checked above`);
      assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement.map((s: Json) => s.Principal), [{ Service: "lambda.amazonaws.com" }]);
    }
    assert.equal(new Set(Object.values(fns).map((f) => f.roleId)).size, 3, "one role per function");
  });
});

describe("alarms", () => {
  const alarmsOf = (t: Template) => Object.values(t.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties as Json);

  it("alarms on a message in the dead-letter queue", () => {
    const { dlqId } = queues(template);
    const dlq = alarmsOf(template).filter((a) => a.Namespace === "AWS/SQS");
    assert.equal(dlq.length, 1);
    assert.equal(dlq[0]!.MetricName, "ApproximateNumberOfMessagesVisible");
    assert.deepEqual(dlq[0]!.Dimensions, [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlqId, "QueueName"] } }]);
    assert.equal(dlq[0]!.Threshold, 0);
    assert.equal(dlq[0]!.ComparisonOperator, "GreaterThanThreshold");
  });

  it("alarms on errors and on throttles of each function", () => {
    const lambda = alarmsOf(template).filter((a) => a.Namespace === "AWS/Lambda");
    const seen = lambda.map((a) => `${a.MetricName} ${a.Dimensions[0].Value.Ref}`).sort();
    const expected = Object.values(functionsOf(template)).flatMap((f) => [`Errors ${f.id}`, `Throttles ${f.id}`]).sort();
    assert.deepEqual(seen, expected);
  });

  it("every alarm notifies the stack's SNS topic, or the topic given", () => {
    const [topicId] = only(template.findResources("AWS::SNS::Topic"), "alarm topic");
    for (const a of alarmsOf(template)) assert.deepEqual(a.AlarmActions, [ref(topicId)], a.AlarmDescription);
    assert.deepEqual(Object.keys(custom.findResources("AWS::SNS::Topic")), [], "no topic is created when one is given");
    for (const a of alarmsOf(custom)) assert.deepEqual(a.AlarmActions, [ALARM_TOPIC_ARN], a.AlarmDescription);
    assert.equal(alarmsOf(custom).length, 7);
  });
});
