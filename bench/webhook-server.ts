/**
 * The webhook endpoint as `meshplan serve` runs it, minus GitHub: the same
 * hono app (`createWebhookApp`) on @hono/node-server, with an in-process
 * queue whose jobs do nothing, so what is measured is the acknowledgement
 * path (read the body, verify the signature, parse, classify, enqueue, log,
 * answer 202). Logs go to stderr as JSON lines, as in `meshplan serve`.
 *
 *   node --import tsx bench/webhook-server.ts app|bare <secret>
 *
 * `bare` is node:http alone reading the body and answering 202: what the
 * same burst costs without any of meshplan's work, for comparison.
 *
 * Prints the port it listens on (127.0.0.1) as one line on stdout. Started
 * with an IPC channel, it answers a "timings" message with how long each
 * request took from its arrival to the last byte of its answer written.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createInProcessQueue } from "../src/adapters/queue/in-process-queue.js";
import { createJsonLogger } from "../src/adapters/log/json-logger.js";
import { createWebhookApp } from "../src/server/webhook-app.js";

const [mode, secret] = process.argv.slice(2);
if ((mode !== "app" && mode !== "bare") || !secret) {
  console.error("usage: node --import tsx bench/webhook-server.ts app|bare <secret>");
  process.exit(2);
}

const timings: number[] = [];
const listening = (info: AddressInfo) => process.stdout.write(`${info.port}\n`);

let server: Server;
if (mode === "app") {
  const logger = createJsonLogger();
  const queue = createInProcessQueue(async () => {}, { logger });
  const app = createWebhookApp({ secret, queue, logger });
  server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, listening) as Server;
} else {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json" });
      res.end('{"enqueued":true}');
    });
  });
  server.listen(0, "127.0.0.1", () => listening(server.address() as AddressInfo));
}

// First listener: the clock starts before the app sees the request.
server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
  const start = performance.now();
  res.once("finish", () => timings.push(performance.now() - start));
});

process.on("message", (message) => {
  if (message === "timings") {
    process.send?.({ timings: timings.splice(0) });
  }
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
