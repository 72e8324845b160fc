import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { replayScenario } from "../../src/collectors/replay-scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";

/**
 * A disk store holding the `demo` fixture scenario as its schedule collected it (daily snapshots,
 * then the final run), through the real runner and ledger.
 */
export function demoStore(): Promise<{ store: FsStore; signer: Ed25519Signer; dir: string }> {
  return scenarioStore("demo");
}

/** The same for any bundled fixture scenario. */
export async function scenarioStore(
  fixtures: string,
): Promise<{ store: FsStore; signer: Ed25519Signer; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `auditpack-${fixtures}-`));
  const store = new FsStore(dir);
  const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
  await replayScenario({ store, signer, config: parseConfig({}, "(test)"), fixtures, seal: true });
  return { store, signer, dir };
}
