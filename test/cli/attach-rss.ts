// Attach a file into a disk store and print the process's peak RSS (KiB) as JSON: run as a child
// process by hostile-input.test.ts, so the figure is this attach's alone.
import { generateKeyPairSync } from "node:crypto";
import { attachFile } from "../../src/evaluate/attach.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import { FsStore } from "../../src/store/fs.js";

const [storeDir, file] = process.argv.slice(2);
const store = new FsStore(storeDir!);
const ledger = new Ledger(store, new Ed25519Signer(generateKeyPairSync("ed25519").privateKey));
const result = await attachFile({ store, ledger, control: "pci-dss-4.0.1:11.3.2", file: file! });
console.log(JSON.stringify({ ...result, maxRSS: process.resourceUsage().maxRSS }));
