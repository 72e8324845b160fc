import type { Command } from "commander";
import { getCollector, iamPolicy } from "../collectors/registry.js";
import { commaList } from "./options.js";
import { action, examples } from "./program.js";

export function registerIamPolicy(program: Command): void {
  const cmd = program
    .command("iam-policy")
    .description("print the least-privilege IAM policy the collectors need (read-only actions)")
    .option("--collectors <ids>", "only these comma-separated collectors (default: all)")
    .action(
      action<{ collectors?: string }>(async (app, options) => {
        const ids = commaList(options.collectors);
        const policy = iamPolicy(ids ? ids.map(getCollector) : undefined);
        // The policy is the output, JSON with or without --json, so it can be piped straight to AWS.
        process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
        app.out.detail(`${policy.Statement[0]!.Action.length} actions`);
        return 0;
      }),
    );
  examples(cmd, [
    "auditpack iam-policy > auditpack-policy.json",
    'aws iam create-policy --policy-name auditpack-collect --policy-document "$(auditpack iam-policy)"',
    "auditpack iam-policy --collectors cloudtrail_trails,cloudtrail_activity",
  ]);
}
