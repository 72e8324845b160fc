import { existsSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { loadCatalog } from "../src/catalog/load.js";
import { replayScenario } from "../src/collectors/replay-scenario.js";
import { parseConfig } from "../src/config/load.js";
import { evaluate } from "../src/evaluate/evaluate.js";
import { parsePeriod } from "../src/evaluate/period.js";
import { Ed25519Signer } from "../src/signing/ed25519.js";
import { FsStore } from "../src/store/fs.js";
const dir = process.argv[2]!;
const store = new FsStore(dir);
const signer = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);
if (!existsSync(`${dir}/ledger`)) await replayScenario({ store, signer, config: parseConfig({}, "(t)"), fixtures: "demo", seal: true });
const catalog = loadCatalog("pci-dss-4.0");
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const f = await evaluate({ store, catalog, period: parsePeriod("2026-Q3"), now: new Date("2026-10-01T06:00:00Z"), scope: { accounts: ["111122223333","444455556666"], regions: ["eu-west-1","us-east-1"] } });
  times.push(performance.now() - t);
  if (i === 0) console.log(JSON.stringify(f.summary), (f as any).evidence ? JSON.stringify((f as any).evidence).slice(0,200) : "");
}
times.sort((a, b) => a - b);
console.log("evaluate ms: median", times[2]!.toFixed(0), "min", times[0]!.toFixed(0), "all", times.map((t) => t.toFixed(0)).join(","));
