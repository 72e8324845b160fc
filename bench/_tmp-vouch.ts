import { resolveTrust } from "../src/evidence/trust.js";
import { loadVouched } from "../src/evidence/vouched.js";
import { FsStore } from "../src/store/fs.js";
const store = new FsStore(process.argv[2]!);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const v = await loadVouched(store, await resolveTrust(store));
  console.log("vouched", v.size, "records from", v.manifests, "manifests in", (performance.now() - t).toFixed(1), "ms");
}
