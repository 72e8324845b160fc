import type { Command } from "commander";
import { Ledger } from "../evidence/ledger.js";
import { action, examples } from "./program.js";

export function registerSeal(program: Command): void {
  const cmd = program
    .command("seal")
    .description("seal the ledger now: sign a chained seal over every run manifest not sealed yet")
    .action(
      action(async (app) => {
        const ledger = new Ledger(app.store(), await app.signer());
        const sealed = await ledger.seal({ now: new Date() });
        if (sealed)
          app.out.info(`sealed ${sealed.manifests} manifest(s) in ${sealed.key} (sha256 ${sealed.sha256})`);
        else app.out.info("nothing to seal: every manifest is already sealed");
        app.out.result({ ok: true, sealed: sealed ?? null });
        return 0;
      }),
    );
  examples(cmd, ["auditpack seal", "auditpack seal --store ./auditpack-store --json"]);
}
