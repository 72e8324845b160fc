import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { writeAnchor } from "../evidence/anchor.js";
import { Ledger, type RefusedManifest } from "../evidence/ledger.js";
import { latestSealHead } from "../evidence/seal.js";
import { action, examples } from "./program.js";
import { trustAnchors } from "./trust.js";
import { openAnchorStore } from "./verify.js";

interface SealCliOptions {
  anchor?: string[];
}

export function registerSeal(program: Command): void {
  const cmd = program
    .command("seal")
    .description(
      "seal the ledger now: sign a chained seal over every signed run manifest not sealed yet (unsigned ones are refused)",
    )
    .option(
      "--anchor <store...>",
      "also write the new head (sequence, seal hash, time), signed, to this store: a directory or s3://bucket/prefix (another bucket or account, Object Lock)",
    )
    .action(
      action<SealCliOptions>(async (app, options) => {
        const anchors = (options.anchor ?? []).map((a) => openAnchorStore(app, a));
        const store = app.store();
        const signer = await app.signer();
        const ledger = new Ledger(store, signer);
        const refused: RefusedManifest[] = [];
        const sealed = await ledger.seal({ now: new Date(), trust: await trustAnchors(app), refused });
        for (const r of refused) app.out.errStream.write(`refused: manifest ${r.key}: ${r.reason}\n`);
        if (sealed)
          app.out.info(`sealed ${sealed.manifests} manifest(s) in ${sealed.key} (sha256 ${sealed.sha256})`);
        else app.out.info("nothing to seal: every signed manifest is already sealed");
        const head = await latestSealHead(store);
        const anchored: string[] = [];
        if (head) {
          app.out.info(`head: seal #${head.seq} ${head.key} sha256 ${head.sha256} sealed ${head.sealedAt}`);
          for (const anchorStore of anchors) {
            const written = await writeAnchor(anchorStore, head, signer, {
              store: store.location,
              now: new Date(),
            });
            anchored.push(`${anchorStore.location}/${written.key}`);
            app.out.info(
              `anchored head #${head.seq} in ${anchorStore.location}/${written.key}${written.existed ? " (already there)" : ""}`,
            );
          }
        }
        if (refused.length > 0)
          app.out.errStream.write(
            `${refused.length} manifest(s) not sealed: no trusted key signed them (see \`auditpack verify\`)\n`,
          );
        app.out.result({
          ok: refused.length === 0,
          sealed: sealed ?? null,
          head: head ?? null,
          anchored,
          refused,
        });
        return refused.length === 0 ? ExitCode.ok : ExitCode.failed;
      }),
    );
  examples(cmd, [
    "auditpack seal",
    "auditpack seal --store ./auditpack-store --json",
    "auditpack seal --anchor s3://audit-anchors/payments",
  ]);
}
