import type { LintRule } from "../../rule.js";
import { gatewayListenerConflict } from "./gateway-listener-conflict.js";
import { invalidRegex } from "./invalid-regex.js";
import { nginxHttpsBackendInMesh } from "./nginx-https-backend-in-mesh.js";
import { plaintextSecret } from "./plaintext-secret.js";
import { removedApiVersion } from "./removed-api-version.js";
import { routeMatchShadowed } from "./route-match-shadowed.js";
import { trafficTargetServiceAccountNotFound } from "./traffic-target-service-account-not-found.js";

/** General analyzers (MP1100–MP1199): Gateway API, SMI, ingress-nginx, regexes, API versions, secrets. */
export const generalRules: readonly LintRule[] = [
  gatewayListenerConflict,
  routeMatchShadowed,
  trafficTargetServiceAccountNotFound,
  nginxHttpsBackendInMesh,
  invalidRegex,
  removedApiVersion,
  plaintextSecret,
];
