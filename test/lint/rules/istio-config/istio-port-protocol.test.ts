import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { istioPortProtocol, type IstioPortDeclaration } from "../../../../src/lint/rules/istio-config/istio-port-protocol.js";

describe("the protocol Istio gives a Service port (Istio Protocol Selection, pilot ConvertProtocol)", () => {
  const cases: { name: string; port: IstioPortDeclaration; expected: ReturnType<typeof istioPortProtocol> }[] = [
    { name: "a name is read up to the first dash", port: { port: 80, name: "http-web" }, expected: "HTTP" },
    { name: "names compare case-insensitively", port: { port: 80, name: "GRPC" }, expected: "GRPC" },
    { name: "grpc-web is recognised before the dash split", port: { port: 80, name: "grpc-web-ui" }, expected: "GRPC-Web" },
    { name: "http2 is its own protocol", port: { port: 80, name: "http2" }, expected: "HTTP2" },
    { name: "a name Istio does not know declares nothing", port: { port: 8080, name: "web" }, expected: null },
    { name: "an unnamed port declares nothing", port: { port: 8080 }, expected: null },
    { name: "a suffix alone declares nothing", port: { port: 8080, name: "-http" }, expected: null },
    { name: "appProtocol wins over the name", port: { port: 80, name: "http", appProtocol: "tcp" }, expected: "TCP" },
    { name: "an unknown appProtocol wins over a good name", port: { port: 80, name: "http", appProtocol: "web" }, expected: null },
    { name: "an empty appProtocol is set and declares nothing", port: { port: 80, name: "http", appProtocol: "" }, expected: null },
    { name: "a null appProtocol is unset", port: { port: 80, name: "http", appProtocol: null }, expected: "HTTP" },
    { name: "kubernetes.io/h2c is HTTP2", port: { port: 80, appProtocol: "kubernetes.io/h2c" }, expected: "HTTP2" },
    { name: "kubernetes.io/ws is HTTP", port: { port: 80, appProtocol: "kubernetes.io/ws" }, expected: "HTTP" },
    { name: "kubernetes.io/wss is HTTPS", port: { port: 443, appProtocol: "kubernetes.io/wss" }, expected: "HTTPS" },
    { name: "UDP ports are UDP whatever their name", port: { port: 53, name: "dns", protocol: "UDP" }, expected: "UDP" },
    { name: "server-first port 3306 without a name is TCP", port: { port: 3306 }, expected: "TCP" },
    { name: "server-first port 25 with an unknown name is TCP", port: { port: 25, name: "smtp" }, expected: "TCP" },
    { name: "a known name on a server-first port keeps its protocol", port: { port: 3306, name: "mysql" }, expected: "MySQL" },
    { name: "Object prototype names are not protocols", port: { port: 8080, name: "constructor" }, expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(istioPortProtocol(c.port), c.expected));
  }
});
