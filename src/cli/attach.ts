import path from "node:path";
import type { Command } from "commander";
import { resolveControlId } from "../catalog/load.js";
import { attachFile } from "../evaluate/attach.js";
import { parseDateOption } from "../evaluate/period.js";
import { Ledger } from "../evidence/ledger.js";
import { action, examples } from "./program.js";

interface AttachCliOptions {
  control: string;
  file: string;
  note?: string;
  validFrom?: string;
  validTo?: string;
  attachedBy?: string;
}

export function registerAttach(program: Command): void {
  const cmd = program
    .command("attach")
    .description("attach manual evidence (scan report, pentest report, signed policy) to a requirement")
    .requiredOption("--control <id>", "the requirement, as <framework>:<id>, e.g. pci-dss-4.0.1:11.3.2")
    .requiredOption("--file <path>", "the file to attach (stored write-once under attachments/<sha256>)")
    .option("--note <text>", 'what it is, e.g. "Q3 external ASV scan, passing"')
    .option("--valid-from <date>", "start of the period it covers (default: when attached)")
    .option("--valid-to <date>", "end of the period it covers, inclusive (default: open)")
    .option(
      "--attached-by <name>",
      "who attaches it, recorded in the evidence and shown beside the attachment (default: the login name)",
    )
    .action(
      action<AttachCliOptions>(async (app, options) => {
        const { catalog, requirement } = resolveControlId(options.control, { notify: app.out.notice });
        const control = `${catalog.framework.id}:${requirement.id}`;
        const validFrom = options.validFrom ? parseDateOption(options.validFrom, "--valid-from") : undefined;
        const validTo = options.validTo
          ? parseDateOption(options.validTo, "--valid-to", { endOfDayForDates: true })
          : undefined;
        const file = path.resolve(app.cwd, options.file);
        const store = app.store();
        const ledger = new Ledger(store, await app.signer());
        const result = await attachFile({
          store,
          ledger,
          control,
          file,
          note: options.note,
          validFrom,
          validTo,
          ...(options.attachedBy !== undefined ? { attachedBy: options.attachedBy } : {}),
        });
        app.out.info(
          `attached ${path.basename(file)} (sha256 ${result.sha256}, ${result.size} bytes) to ${control}`,
        );
        app.out.info(`  by:     ${result.attachedBy} at ${result.attachedAt}`);
        app.out.info(`  file:   ${result.fileKey}${result.fileStored ? "" : " (already stored)"}`);
        app.out.info(`  record: ${result.recordKey}`);
        app.out.result({ ok: true, control, ...result });
        return 0;
      }),
    );
  examples(cmd, [
    'auditpack attach --control pci-dss-4.0.1:11.3.2 --file asv-scan-2026-q3.pdf --note "external ASV scan, passing"',
    "auditpack attach --control pci-dss-4.0.1:11.4.1 --file pentest.pdf --valid-from 2026-07-01 --valid-to 2026-09-30",
    'auditpack attach --control pci-dss-4.0.1:11.3.1 --file internal-scan-q3.pdf --attached-by "Alex Morgan (CISO)"',
  ]);
}
