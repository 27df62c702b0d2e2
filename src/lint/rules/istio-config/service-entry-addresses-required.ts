import type { ServiceEntry } from "../../../manifests/schemas/istio.js";
import type { LintRule } from "../../rule.js";
import { meshConfigOf } from "./mesh-config.js";

const SERVICE_ENTRY = "networking.istio.io/ServiceEntry" as const;

/**
 * istioctl serviceentry.ProtocolAddressesAnalyzer, IST0134 ServiceEntryAddressesRequired
 * (pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go).
 */
export const serviceEntryAddressesRequired: LintRule = {
  code: "MP1076",
  title: "ServiceEntry TCP port needs addresses",
  severity: "warning",
  docs:
    "A ServiceEntry port with protocol TCP (or no protocol) carries no Host header or SNI the proxy could route on, so " +
    "the sidecar can only tell its traffic apart by destination IP. Without `addresses`, the outbound listener for " +
    "that port matches every IP: the entry captures, or is shadowed by, all other TCP traffic to the same port. Set " +
    "`addresses`, or let Istio allocate them: DNS capture with auto-allocation in the MeshConfig " +
    "(`defaultConfig.proxyMetadata` ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE or " +
    "PILOT_ENABLE_IP_AUTOALLOCATE set to \"true\"), or addresses already allocated in the entry's status.",
  equivalents: ["IST0134"],
  kinds: [SERVICE_ENTRY],
  check(ctx) {
    const metadata = meshConfigOf(ctx.model).proxyMetadata;
    const autoAllocated =
      metadata["ISTIO_META_DNS_CAPTURE"] === "true" &&
      (metadata["ISTIO_META_DNS_AUTO_ALLOCATE"] === "true" || metadata["PILOT_ENABLE_IP_AUTOALLOCATE"] === "true");
    if (autoAllocated) return;
    ctx.forEach<ServiceEntry>(SERVICE_ENTRY, (entry) => {
      const spec = entry.obj.spec;
      if (!spec || (spec.addresses?.length ?? 0) > 0 || statusAddresses(entry.res.object) > 0) return;
      (spec.ports ?? []).forEach((port, index) => {
        const protocol = port.protocol ?? "";
        if (protocol !== "" && protocol.toUpperCase() !== "TCP") return;
        ctx.report(
          entry.res,
          ["spec", "ports", index, ...(port.protocol !== undefined ? ["protocol"] : [])],
          `ServiceEntry ${entry.namespace}/${entry.res.name} port ${port.number} is ` +
            (protocol === "" ? "without a protocol (TCP)" : "TCP") +
            " but the entry has no addresses: its listener matches TCP traffic to any IP on that port",
          { hint: "Add spec.addresses, declare the port's real protocol (HTTP, TLS, ...), or enable DNS auto-allocation in the MeshConfig." },
        );
      });
    });
  },
};

/** Addresses Istio's IP auto-allocation controller recorded in `status.addresses`. */
function statusAddresses(object: Record<string, unknown>): number {
  const status = object["status"];
  if (!status || typeof status !== "object") return 0;
  const addresses = (status as Record<string, unknown>)["addresses"];
  return Array.isArray(addresses) ? addresses.length : 0;
}
