/**
 * meshplan in one AWS account:
 *
 *   GitHub ──POST /webhooks/github──▶ HTTP API ──▶ webhook λ ──▶ SQS FIFO ──▶ worker λ ──▶ clusters
 *                                                                   ▲  └─ DLQ (alarmed)
 *   EventBridge schedule ──▶ drift λ ───────────────────────────────┘
 *
 * Least privilege: each function has its own role, with exactly the secrets and queue actions it
 * uses, named by ARN; its log group is its own and the only one it may write to. The webhook
 * function cannot read the GitHub App's private key or any kubeconfig; the drift function cannot
 * read kubeconfigs (it only queues). Secrets are created with a random placeholder value: fill them
 * (docs/deploy.md) before pointing the GitHub App at the webhook URL.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from "aws-cdk-lib";
import { HttpApi, HttpMethod, LogGroupLogDestination } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Alias, Architecture, Code, Function as LambdaFn, LoggingFormat, Runtime } from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { join } from "node:path";
import { WORKER_HEAP_MIB, WORKER_MEMORY_MIB } from "./worker-memory.js";

export interface MeshplanStackProps extends StackProps {
  /** Directory holding `webhook/`, `worker/` and `drift/` from `npm run build:functions`. */
  functionsDir: string;
  /** The GitHub App's numeric id (not secret). */
  githubAppId: string;
  /** Cluster names of meshplan.yaml: one kubeconfig secret each, `<secretPrefix>/kubeconfig/<name>`. */
  clusters: readonly string[];
  /** Repositories (`owner/repo`) the drift schedule checks. */
  driftRepositories: readonly string[];
  /** How often drift is checked, in minutes (default 60). */
  driftRateMinutes?: number;
  /** Name prefix of the secrets (default `meshplan`). */
  secretPrefix?: string;
  /** Jobs running at once at most (worker reserved concurrency, default 5). */
  workerConcurrency?: number;
  /** An SNS topic ARN alarms notify; without it, a new topic is created. */
  alarmTopicArn?: string;
  /** GitHub Enterprise Server API URL, e.g. https://github.example.com/api/v3. */
  githubApiUrl?: string;
}

/** Per-function settings; the worker runs the long jobs (plan of big trees, cluster sync). */
export const FUNCTION_SETTINGS = {
  webhook: { memoryMiB: 256, timeout: Duration.seconds(10) },
  worker: { memoryMiB: WORKER_MEMORY_MIB, heapMiB: WORKER_HEAP_MIB, timeout: Duration.minutes(5) },
  drift: { memoryMiB: 256, timeout: Duration.minutes(1) },
} as const;

const WORKER_BATCH_SIZE = 5;

export class MeshplanStack extends Stack {
  readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: MeshplanStackProps) {
    super(scope, id, props);
    const prefix = props.secretPrefix ?? "meshplan";
    const clusters = [...new Set(props.clusters)];
    for (const c of clusters) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(c)) throw new Error(`cluster name "${c}" is not a valid meshplan.yaml cluster name`);
    }

    // Secrets: values are set after deploy (docs/deploy.md); rotation happens in GitHub and in the clusters.
    const privateKey = new Secret(this, "GitHubAppPrivateKey", {
      secretName: `${prefix}/github-app-private-key`,
      description: "The GitHub App's PEM private key (whole .pem file)",
    });
    const webhookSecret = new Secret(this, "GitHubWebhookSecret", {
      secretName: `${prefix}/github-webhook-secret`,
      description: "The GitHub App's webhook secret",
    });
    const kubeconfigs = clusters.map(
      (name) =>
        new Secret(this, `Kubeconfig-${name}`, {
          secretName: `${prefix}/kubeconfig/${name}`,
          description: `kubeconfig document for cluster ${name} (meshplan.yaml kubeconfigSecret: ${prefix}/kubeconfig/${name})`,
        }),
    );
    for (const s of [privateKey, webhookSecret, ...kubeconfigs]) {
      Validations.of(s).acknowledge({
        id: "AwsSolutions-SMG4",
        reason:
          "No Lambda can rotate these: the GitHub App key and webhook secret are rotated in the app's settings on GitHub, a kubeconfig's credentials by the cluster's identity provider; docs/deploy.md describes both.",
      });
    }

    // The job queue: FIFO, deduplicated by delivery id, one message group per repository or cluster.
    const deadLetters = new Queue(this, "JobDeadLetters", {
      fifo: true,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
    });
    Validations.of(deadLetters).acknowledge({ id: "AwsSolutions-SQS3", reason: "This is the dead-letter queue of the job queue." });
    const jobs = new Queue(this, "Jobs", {
      fifo: true,
      contentBasedDeduplication: false,
      // AWS: at least six times the consumer's timeout, so a message is not redelivered while it runs.
      visibilityTimeout: Duration.seconds(FUNCTION_SETTINGS.worker.timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });

    const kubeconfigPrefixes = [`${prefix}/kubeconfig/`, `arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:${prefix}/kubeconfig/`];
    const common = { GITHUB_APP_ID: props.githubAppId, ...(props.githubApiUrl ? { GITHUB_API_URL: props.githubApiUrl } : {}) };

    const webhook = this.fn("webhook", props.functionsDir, {
      GITHUB_WEBHOOK_SECRET: webhookSecret.secretArn,
      MESHPLAN_QUEUE_URL: jobs.queueUrl,
      ...common,
    });
    const worker = this.fn(
      "worker",
      props.functionsDir,
      {
        GITHUB_PRIVATE_KEY: privateKey.secretArn,
        MESHPLAN_QUEUE_URL: jobs.queueUrl,
        MESHPLAN_KUBECONFIG_SECRET_PREFIXES: kubeconfigPrefixes.join(","),
        ...common,
      },
      props.workerConcurrency ?? 5,
    );
    const drift = this.fn("drift", props.functionsDir, {
      GITHUB_PRIVATE_KEY: privateKey.secretArn,
      MESHPLAN_QUEUE_URL: jobs.queueUrl,
      MESHPLAN_DRIFT_REPOSITORIES: props.driftRepositories.join(","),
      ...common,
    });

    // Exactly what each function does, on exactly these resources.
    allow(webhook.role, ["secretsmanager:GetSecretValue"], [webhookSecret.secretArn]);
    allow(webhook.role, ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [jobs.queueArn]);
    allow(worker.role, ["secretsmanager:GetSecretValue"], [privateKey.secretArn, ...kubeconfigs.map((k) => k.secretArn)]);
    allow(worker.role, ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [jobs.queueArn]);
    allow(drift.role, ["secretsmanager:GetSecretValue"], [privateKey.secretArn]);
    allow(drift.role, ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], [jobs.queueArn]);

    worker.fn.addEventSource(
      new SqsEventSource(jobs, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );

    // The webhook endpoint: GitHub signs every delivery; the function verifies before parsing.
    const accessLogs = new LogGroup(this, "WebhookApiAccessLogs", { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const api = new HttpApi(this, "WebhookApi", {
      description: "meshplan GitHub App webhook",
      createDefaultStage: false,
    });
    api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const routes = api.addRoutes({
      path: "/webhooks/github",
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration("WebhookIntegration", webhook.alias),
    });
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason: "GitHub cannot send IAM, JWT or Lambda-authorizer credentials; every delivery carries an HMAC-SHA256 signature that the webhook function verifies before it parses anything, and rejects with 401 otherwise.",
      });
    }
    this.webhookUrl = `${api.apiEndpoint}/webhooks/github`;

    // Drift on a schedule, when there is something to check: without repositories every run would fail.
    if (props.driftRepositories.length > 0) {
      new Rule(this, "DriftSchedule", {
        description: "meshplan drift detection",
        schedule: Schedule.rate(Duration.minutes(props.driftRateMinutes ?? 60)),
        targets: [new LambdaFunction(drift.alias, { retryAttempts: 2 })],
      });
    }

    // Alarms: something stuck in the DLQ, function errors, throttles.
    const topic = props.alarmTopicArn
      ? Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn)
      : new Topic(this, "AlarmTopic", { displayName: "meshplan alarms", enforceSSL: true });
    if (!props.alarmTopicArn) {
      Validations.of(topic).acknowledge({ id: "AwsSolutions-SNS2", reason: "Alarm notifications carry alarm names and states only, no data worth a customer-managed key." });
    }
    const action: IAlarmAction = new SnsAction(topic);
    const dlqAlarm = new Alarm(this, "DeadLetterAlarm", {
      alarmDescription: "meshplan jobs failed repeatedly and are in the dead-letter queue",
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    dlqAlarm.addAlarmAction(action);
    for (const { name, fn } of [webhook, worker, drift]) {
      for (const [what, metric] of [
        ["Errors", fn.metricErrors({ period: Duration.minutes(5) })],
        ["Throttles", fn.metricThrottles({ period: Duration.minutes(5) })],
      ] as const) {
        new Alarm(this, `${name}${what}Alarm`, {
          alarmDescription: `meshplan ${name} function ${what.toLowerCase()}`,
          metric,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }).addAlarmAction(action);
      }
    }

    new CfnOutput(this, "WebhookUrl", { value: this.webhookUrl, description: "The GitHub App's webhook URL" });
    new CfnOutput(this, "JobQueueUrl", { value: jobs.queueUrl });
    new CfnOutput(this, "PrivateKeySecret", { value: privateKey.secretName });
    new CfnOutput(this, "WebhookSecretName", { value: webhookSecret.secretName });
  }

  /** A function with its own role and log group: JSON logs, arm64, the latest Node.js LTS runtime. */
  private fn(name: keyof typeof FUNCTION_SETTINGS, functionsDir: string, environment: Record<string, string>, reservedConcurrency?: number) {
    const settings = FUNCTION_SETTINGS[name];
    const logGroup = new LogGroup(this, `${name}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, `${name}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `meshplan ${name} function`,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy (logs anywhere): this log group only.
    allow(role, ["logs:CreateLogStream", "logs:PutLogEvents"], [logGroup.logGroupArn]);
    const fn = new LambdaFn(this, `${name}Function`, {
      description: `meshplan ${name}`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: "index.handler",
      code: Code.fromAsset(join(functionsDir, name)),
      memorySize: settings.memoryMiB,
      timeout: settings.timeout,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { NODE_OPTIONS: nodeOptions(settings), ...environment },
      ...(reservedConcurrency !== undefined ? { reservedConcurrentExecutions: reservedConcurrency } : {}),
    });
    const alias = new Alias(this, `${name}Live`, { aliasName: "live", version: fn.currentVersion });
    return { name, fn, role, alias };
  }
}

/** Source maps for readable stack traces, and the heap limit where a function sets one (worker-memory.ts). */
function nodeOptions(settings: { memoryMiB: number; heapMiB?: number }): string {
  return ["--enable-source-maps", ...(settings.heapMiB ? [`--max-old-space-size=${settings.heapMiB}`] : [])].join(" ");
}

function allow(role: Role, actions: string[], resources: string[]): void {
  // logs: a log group's Arn attribute ends in `:*`, which covers its streams and nothing else.
  role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
}
