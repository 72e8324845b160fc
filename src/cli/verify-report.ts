import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ExitCode, UsageError } from "../errors.js";
import { verifyReportPackage } from "../report/verify-report.js";
import { action, examples } from "./program.js";

interface VerifyReportCliOptions {
  publicKey?: string;
  allowUnsigned: boolean;
}

export function registerVerifyReport(program: Command): void {
  const cmd = program
    .command("verify-report")
    .description(
      "check a report package (directory or .zip): checksums, SHA256SUMS.sig and the PDF's signature",
    )
    .argument("<package>", "package directory or its .zip")
    .option("--public-key <pem>", "the publisher's public key (PEM) to check origin, not just integrity")
    .option("--allow-unsigned", "accept a package built with --no-sign (checksums only)", false)
    .action(
      action<VerifyReportCliOptions>(async (app, options, command) => {
        const target = path.resolve(app.cwd, command.args[0]!);
        let publicKeyPem: string | undefined;
        if (options.publicKey) {
          try {
            publicKeyPem = readFileSync(path.resolve(app.cwd, options.publicKey), "utf8");
          } catch (cause) {
            throw new UsageError(
              `cannot read --public-key ${options.publicKey}: ${(cause as Error).message}`,
              { cause },
            );
          }
        }
        const result = await verifyReportPackage(target, {
          ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
          allowUnsigned: options.allowUnsigned,
        });
        for (const p of result.problems) app.out.error(`${p.file}: ${p.problem}`);
        if (result.ok) {
          app.out.info(`OK: ${target}`);
          app.out.info(`  ${result.checkedFiles} file(s) match SHA256SUMS; no file missing or added`);
          if (result.signature) {
            app.out.info(
              `  SHA256SUMS.sig verifies (${result.signature.algorithm}, key ${result.signature.keyId}, ${result.signature.keySource} key)`,
            );
          }
          if (result.pdf?.signed) {
            app.out.info(
              `  report.pdf: embedded signature intact and covering the whole file (${result.pdf.signer ?? "unknown signer"})`,
            );
          }
        } else {
          const files = [...new Set(result.problems.map((p) => p.file))];
          app.out.info(`FAILED: ${target}: ${files.join(", ")} did not verify`);
        }
        for (const note of result.notes) app.out.info(`note: ${note}`);
        app.out.result(result);
        return result.ok ? ExitCode.ok : ExitCode.failed;
      }),
    );
  examples(cmd, [
    "auditpack verify-report reports/pci-dss-4.0.1_2026-Q3",
    "auditpack verify-report reports/pci-dss-4.0.1_2026-Q3.zip --public-key publisher.pub.pem",
    "auditpack verify-report ./received-package --json",
  ]);
}
