import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { parseExpiry, sharePackage } from "../report/share.js";
import { action, examples } from "./program.js";

interface ShareCliOptions {
  expires: string;
  allowUnsigned: boolean;
  audience: string;
}

export function registerShare(program: Command): void {
  const cmd = program
    .command("share")
    .description(
      "upload a report package (zipped) to the configured S3 bucket and print a presigned download URL",
    )
    .argument("<dir>", "report package directory")
    .option("--expires <duration>", "how long the URL works: 30m, 24h, 7d (at most 7d, as S3 allows)", "7d")
    .option("--allow-unsigned", "share a package built with --no-sign", false)
    .option(
      "--audience <who>",
      "customer: only summary.pdf and the OSCAL/OCSF files, re-checksummed and signed with the configured key; all: the whole package as built",
      "customer",
    )
    .action(
      action<ShareCliOptions>(async (app, options, command) => {
        const expiresIn = parseExpiry(options.expires);
        const audience = options.audience.trim().toLowerCase();
        if (audience !== "customer" && audience !== "all") {
          throw new UsageError(`--audience: unknown audience "${options.audience}"`, {
            hint: "use customer or all",
          });
        }
        const dir = path.resolve(app.cwd, command.args[0]!);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          throw new UsageError(`${dir} is not a report package directory`, {
            hint: "pass the directory `auditpack report` wrote (e.g. reports/pci-dss-4.0.1_2026-Q3)",
          });
        }
        const store = app.config.config.store;
        if (store.type !== "s3") {
          throw new UsageError("share needs an S3 store: the configured store is a local disk", {
            hint: "set store.type: s3 and store.bucket in the config (the package goes under reports/ in that bucket)",
          });
        }
        const shared = await sharePackage({
          dir,
          store,
          expiresInSeconds: expiresIn,
          allowUnsigned: options.allowUnsigned,
          audience,
          signer: () => app.signer({ create: false }),
          maxAttempts: app.config.config.aws.maxAttempts,
        });
        app.out.info(`uploaded s3://${shared.bucket}/${shared.key} (${shared.size} bytes)`);
        app.out.info(`download URL (valid until ${shared.expiresAt}):`);
        app.out.info(shared.url);
        app.out.result({ ok: true, ...shared });
        return 0;
      }),
    );
  examples(cmd, [
    "auditpack share reports/pci-dss-4.0.1_2026-Q3",
    "auditpack share reports/pci-dss-4.0.1_2026-Q3 --expires 24h --json",
    "auditpack share reports/pci-dss-4.0.1_2026-Q3 --audience all   # the assessor's full package",
  ]);
}
