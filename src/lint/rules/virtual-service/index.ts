import type { LintRule } from "../../rule.js";
import { conflictingMeshVirtualServices } from "./conflicting-mesh-virtual-services.js";
import { destinationHostNotFound } from "./destination-host-not-found.js";
import { destinationPortNotFound } from "./destination-port-not-found.js";
import { destinationPortRequired } from "./destination-port-required.js";
import { gatewayNotFound } from "./gateway-not-found.js";
import { hostNotInGateway } from "./host-not-in-gateway.js";
import { ineffectiveMatch } from "./ineffective-match.js";
import { ingressBypassesSubsetRouting } from "./ingress-bypasses-subset-routing.js";
import { internalGatewayReference } from "./internal-gateway-reference.js";
import { negativeWeight } from "./negative-weight.js";
import { noDefaultRoute } from "./no-default-route.js";
import { singleDestinationWeight } from "./single-destination-weight.js";
import { unreachableRule } from "./unreachable-rule.js";

export const virtualServiceRules: readonly LintRule[] = [
  destinationHostNotFound,
  destinationPortRequired,
  destinationPortNotFound,
  ingressBypassesSubsetRouting,
  gatewayNotFound,
  hostNotInGateway,
  internalGatewayReference,
  conflictingMeshVirtualServices,
  unreachableRule,
  ineffectiveMatch,
  noDefaultRoute,
  negativeWeight,
  singleDestinationWeight,
];
