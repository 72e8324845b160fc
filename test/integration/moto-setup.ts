import { type ChildProcess, spawn } from "node:child_process";
import type { TestProject } from "vitest/node";
import "vitest";

/**
 * Vitest global setup for integration tests: use the moto_server named by MOTO_ENDPOINT (as .ci/run
 * starts it), or start one on a free loopback port and stop it afterwards. Tests read the endpoint
 * with `inject("motoEndpoint")`.
 */
declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

let child: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) endpoint = await startMoto();
  project.provide("motoEndpoint", endpoint);
  return async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child?.once("exit", resolve));
    }
  };
}

function startMoto(): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    const timer = setTimeout(() => reject(new Error("moto_server did not start within 30s")), 30_000);
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = / \* Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start moto_server: ${e.message} (pip install 'moto[server]')`));
    });
  });
}
