import path from "node:path";
import type { Command } from "commander";
import { rangePeriod } from "../evaluate/period.js";
import { pullControl } from "../evaluate/pull.js";
import { printIgnored } from "./evaluate.js";
import { action, examples } from "./program.js";
import { requireTrustAnchors } from "./trust.js";

interface PullCliOptions {
  control: string;
  from: string;
  to: string;
  out: string;
}

export function registerPull(program: Command): void {
  const cmd = program
    .command("pull")
    .description("copy the evidence behind one requirement for a period into a folder that verifies offline")
    .requiredOption("--control <id>", "the requirement, as <framework>:<id>, e.g. pci-dss-4.0.1:8.4.2")
    .requiredOption("--from <date>", "first day (UTC), e.g. 2026-07-01")
    .requiredOption("--to <date>", "last day, inclusive, e.g. 2026-09-30")
    .requiredOption("--out <dir>", "a new or empty directory")
    .action(
      action<PullCliOptions>(async (app, options) => {
        const period = rangePeriod(options.from, options.to);
        const out = path.resolve(app.cwd, options.out);
        const scope = app.config.config.scope;
        const result = await pullControl({
          store: app.store(),
          control: options.control,
          period,
          out,
          now: new Date(),
          scope: { accounts: scope.accounts.map((a) => a.id), regions: scope.regions },
          ...(app.config.config.assessment ? { assessment: app.config.config.assessment } : {}),
          trustedKeys: await requireTrustAnchors(app),
        });
        const status = result.findings.requirements[0]?.status;
        app.out.info(
          `pulled ${result.records} evidence records, ${result.manifests} manifests, ${result.seals} seals and ${result.keys} keys for ${options.control} (${status}) into ${out}`,
        );
        if (result.findings.provenance.demonstration)
          app.out.info("DEMONSTRATION DATA: the evidence comes from fixture scenarios");
        printIgnored(app.out, result.findings);
        app.out.info(
          `check it with: (cd ${out} && sha256sum -c SHA256SUMS) and auditpack verify ${out} --public-key <the signer's .pub.pem> (the keys a pull carries are only candidates)`,
        );
        app.out.result({
          ok: true,
          out,
          records: result.records,
          manifests: result.manifests,
          seals: result.seals,
          keys: result.keys,
          status,
          ledger: result.findings.ledger,
        });
        return 0;
      }),
    );
  examples(cmd, [
    "auditpack pull --control pci-dss-4.0.1:8.4.2 --from 2026-07-01 --to 2026-09-30 --out ./pull-8.4.2",
  ]);
}
