/**
 * Webhook acknowledgement latency. `deliveries` signed `pull_request`
 * deliveries (each with its own delivery id, so each one is queued) are sent
 * at once to the webhook server (bench/webhook-server.ts, a process of its
 * own) after a warm-up burst. Two figures per delivery:
 *
 * - ack: inside the server, from the request's arrival to the last byte of
 *   the 202 written: the acknowledgement path meshplan runs;
 * - burst: at the sender, from sending to having read the 202: ack plus the
 *   time the delivery waited behind the rest of the burst (connection
 *   set-up, the client itself, the server's event loop busy with others).
 *
 * The same burst against bare node:http (no meshplan) gives the floor of
 * the burst figure on this machine. Signatures are computed before the clock
 * starts, as GitHub computes them before sending.
 *
 * `node --import tsx bench/measure-webhook.ts [deliveries]` prints one JSON line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Agent, request } from "node:http";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sign } from "@octokit/webhooks-methods";
import { webhookExample } from "../test/server/webhook-examples.js";

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface WebhookMeasurement {
  deliveries: number;
  accepted: number;
  payloadBytes: number;
  /** meshplan's webhook app: time inside the server, and at the sender. */
  ack: Latency;
  burst: Latency;
  /** node:http answering 202 without meshplan, the same burst. */
  bareAck: Latency;
  bareBurst: Latency;
}

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

const secret = "bench-webhook-secret";
const serverScript = fileURLToPath(new URL("./webhook-server.ts", import.meta.url));

function latency(xs: readonly number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
  return { p50: at(50), p99: at(99), max: at(100) };
}

async function deliveriesOf(count: number, prefix: string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const payload = webhookExample("pull_request", (x) => x.action === "opened");
    payload.number = 1000 + i;
    payload.pull_request.number = 1000 + i;
    const body = JSON.stringify(payload);
    out.push({
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": `${prefix}-${i}`,
        "x-hub-signature-256": await sign(secret, body),
      },
    });
  }
  return out;
}

/** node:http rather than fetch: the sender should cost as little as it can, it is not what is measured. */
async function burst(url: string, deliveries: readonly Delivery[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    return await Promise.all(
      deliveries.map(
        (d) =>
          new Promise<{ ms: number; status: number }>((done, fail) => {
            const start = performance.now();
            const req = request(url, { method: "POST", agent, headers: { ...d.headers, "content-length": String(Buffer.byteLength(d.body)) } }, (res) => {
              res.resume();
              res.on("end", () => done({ ms: performance.now() - start, status: res.statusCode ?? 0 }));
              res.on("error", fail);
            });
            req.on("error", fail);
            req.end(d.body);
          }),
      ),
    );
  } finally {
    agent.destroy();
  }
}

async function serverTimings(server: ChildProcess): Promise<number[]> {
  server.send("timings");
  const [message] = (await once(server, "message")) as [{ timings: number[] }];
  return message.timings;
}

async function run(mode: "app" | "bare", warmUp: readonly Delivery[], measured: readonly Delivery[]) {
  const server = spawn(process.execPath, ["--import", "tsx", serverScript, mode, secret], { stdio: ["ignore", "pipe", "ignore", "ipc"] });
  try {
    const [port] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
    const url = `http://127.0.0.1:${port.trim()}/webhooks/github`;
    await burst(url, warmUp);
    await serverTimings(server);
    const client = await burst(url, measured);
    const inside = await serverTimings(server);
    return { client, inside };
  } finally {
    server.kill("SIGTERM");
  }
}

export async function measureWebhook(count = 500): Promise<WebhookMeasurement> {
  const warmUp = await deliveriesOf(50, "warm-up");
  const measured = await deliveriesOf(count, "delivery");
  const app = await run("app", warmUp, measured);
  const bare = await run("bare", warmUp, measured);
  return {
    deliveries: count,
    accepted: app.client.filter((t) => t.status === 202).length,
    payloadBytes: Buffer.byteLength(measured[0]!.body),
    ack: latency(app.inside),
    burst: latency(app.client.map((t) => t.ms)),
    bareAck: latency(bare.inside),
    bareBurst: latency(bare.client.map((t) => t.ms)),
  };
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureWebhook(Number(process.argv[2] ?? 500))));
}
