import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { HttpRequest } from "@smithy/protocol-http";
import { ReplayHandler, type ServiceFixture } from "../../src/aws/replay.js";
import type { ServiceName } from "../../src/collectors/types.js";

/**
 * A fixture scenario served over HTTP on 127.0.0.1, so a *live* run (real SDK transport, signed
 * requests, `--record-fixtures`) can be tested without AWS. Requests are routed by the SigV4
 * credential scope (region and service) to a ReplayHandler over that account's fixture file.
 */
export async function startReplayServer(
  scenarioDir: string,
  account: string,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const handlers = new Map<string, ReplayHandler>();
  const handlerFor = (region: string, service: ServiceName): ReplayHandler => {
    const dir = service === "sts" ? "global" : region;
    const key = `${dir}/${service}`;
    let handler = handlers.get(key);
    if (!handler) {
      const file = path.join(scenarioDir, account, dir, `${service}.json`);
      const fixture = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ServiceFixture) : {};
      handler = new ReplayHandler(service, fixture, { source: file });
      handlers.set(key, handler);
    }
    return handler;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "");
      if (!scope) {
        res.writeHead(403).end("unsigned request");
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const request = new HttpRequest({
        method: req.method ?? "POST",
        hostname: "127.0.0.1",
        path: req.url ?? "/",
        headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      handlerFor(scope[1]!, scope[2] as ServiceName)
        .handle(request)
        .then(({ response }) => {
          res.writeHead(response.statusCode, response.headers as Record<string, string>);
          res.end(response.body as Buffer);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
