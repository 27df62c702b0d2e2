/**
 * Runs the Kubernetes API double on its own, with the Istio, SMI, OSM and
 * Gateway API kinds served, for trying meshplan or kubectl against a cluster
 * that needs nothing installed:
 *
 *   npm run kube-api -- --port 6443
 *   kubectl --kubeconfig <printed path> get virtualservices -A
 *
 * Stops on SIGINT or SIGTERM and removes its kubeconfig.
 */
import { once } from "node:events";
import { parseArgs } from "node:util";
import { meshCrds, startKubeDouble } from "../test/support/kube-double/index.js";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0 picks a free one), not ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const double = await startKubeDouble({ crds: meshCrds(), port });
console.log(`Kubernetes API double listening on ${double.url}`);
console.log(`kubeconfig: ${double.kubeconfigPath}`);
console.log("Stop with Ctrl-C.");

const signal = await Promise.race([once(process, "SIGINT").then(() => "SIGINT"), once(process, "SIGTERM").then(() => "SIGTERM")]);
await double.close();
console.error(`${signal}: closed`);
