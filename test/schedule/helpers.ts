import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type FixtureScenario, loadScenario } from "../../src/aws/fixtures.js";
import type { Clock } from "../../src/schedule/clock.js";
import { Ed25519Signer, generateEd25519KeyFiles } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";

/**
 * A fixture scenario whose pinned clock follows `clock`: replayed AWS answers, but records and
 * manifests dated by the scheduler's (fake) time, as a live run's would be.
 */
export function scenarioFollowing(name: string, clock: Clock): FixtureScenario {
  const base = loadScenario(name);
  return Object.create(base, { clock: { get: () => clock.now(), enumerable: true } }) as FixtureScenario;
}

export async function tempStoreAndSigner(label: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `auditpack-${label}-`));
  const { keyFile } = await generateEd25519KeyFiles(path.join(dir, "keys", "signing-key.pem"));
  return {
    dir,
    keyFile,
    store: new FsStore(path.join(dir, "store")),
    signer: await Ed25519Signer.fromKeyFile(keyFile),
  };
}
