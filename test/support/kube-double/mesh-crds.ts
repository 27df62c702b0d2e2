/**
 * The custom resources of the meshes meshplan reads — Istio, SMI, OSM and the
 * Gateway API — as their published CRDs serve them: every served version,
 * with the kinds, plurals, scopes and short names of the upstream manifests.
 * Versions are listed newest first because the double announces the first
 * installed version of a group as its preferred version, as the API server
 * does by version priority (v1 > v1beta1 > v1alpha3 > … ).
 */
import type { CrdDefinition } from "./resource-types.js";

interface MeshKind {
  kind: string;
  plural: string;
  shortNames?: string[];
  clusterScoped?: boolean;
}

function group(name: string, versions: string[], kinds: MeshKind[]): CrdDefinition[] {
  return versions.flatMap((version) =>
    kinds.map((k) => ({
      group: name,
      version,
      kind: k.kind,
      plural: k.plural,
      namespaced: !k.clusterScoped,
      ...(k.shortNames ? { shortNames: k.shortNames } : {}),
    })),
  );
}

export function meshCrds(): CrdDefinition[] {
  return [
    ...group("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], [
      { kind: "VirtualService", plural: "virtualservices", shortNames: ["vs"] },
      { kind: "DestinationRule", plural: "destinationrules", shortNames: ["dr"] },
      { kind: "Gateway", plural: "gateways", shortNames: ["gw"] },
      { kind: "ServiceEntry", plural: "serviceentries", shortNames: ["se"] },
      { kind: "Sidecar", plural: "sidecars" },
      { kind: "WorkloadEntry", plural: "workloadentries", shortNames: ["we"] },
    ]),
    ...group("security.istio.io", ["v1", "v1beta1"], [
      { kind: "AuthorizationPolicy", plural: "authorizationpolicies", shortNames: ["ap"] },
      { kind: "PeerAuthentication", plural: "peerauthentications", shortNames: ["pa"] },
      { kind: "RequestAuthentication", plural: "requestauthentications", shortNames: ["ra"] },
    ]),
    ...group("split.smi-spec.io", ["v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"], [{ kind: "TrafficSplit", plural: "trafficsplits", shortNames: ["ts"] }]),
    ...group("access.smi-spec.io", ["v1alpha3", "v1alpha2", "v1alpha1"], [{ kind: "TrafficTarget", plural: "traffictargets", shortNames: ["tt"] }]),
    ...group("specs.smi-spec.io", ["v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"], [
      { kind: "HTTPRouteGroup", plural: "httproutegroups", shortNames: ["htr"] },
      { kind: "TCPRoute", plural: "tcproutes" },
    ]),
    ...group("policy.openservicemesh.io", ["v1alpha1"], [
      { kind: "Egress", plural: "egresses", shortNames: ["egress"] },
      { kind: "IngressBackend", plural: "ingressbackends", shortNames: ["ingressbackend"] },
      { kind: "Retry", plural: "retries", shortNames: ["retry"] },
      { kind: "UpstreamTrafficSetting", plural: "upstreamtrafficsettings", shortNames: ["upstreamtrafficsetting"] },
    ]),
    ...group("gateway.networking.k8s.io", ["v1"], [
      { kind: "GatewayClass", plural: "gatewayclasses", shortNames: ["gc"], clusterScoped: true },
      { kind: "Gateway", plural: "gateways", shortNames: ["gtw"] },
      { kind: "HTTPRoute", plural: "httproutes" },
      { kind: "GRPCRoute", plural: "grpcroutes" },
      { kind: "ReferenceGrant", plural: "referencegrants", shortNames: ["refgrant"] },
    ]),
    ...group("gateway.networking.k8s.io", ["v1beta1"], [{ kind: "ReferenceGrant", plural: "referencegrants", shortNames: ["refgrant"] }]),
    ...group("gateway.networking.k8s.io", ["v1alpha2"], [
      { kind: "TCPRoute", plural: "tcproutes" },
      { kind: "TLSRoute", plural: "tlsroutes" },
      { kind: "UDPRoute", plural: "udproutes" },
    ]),
  ];
}
