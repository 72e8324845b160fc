import { collectorsFor, historyCollectorIds } from "../collectors/registry.js";
import type { IgnoredRecord, VouchedRecords } from "../evidence/vouched.js";
import { logGroupOf } from "../state/trail-coverage.js";
import type { EvidenceStore } from "../store/types.js";
import { readEvidence } from "./read.js";

/** The account in a trail ARN: arn:aws:cloudtrail:<region>:<account>:trail/<name>. */
const trailOwner = (arn: unknown): string | undefined =>
  typeof arn === "string" ? /^arn:[^:]+:cloudtrail:[^:]*:(\d{12}):trail\//.exec(arn)?.[1] : undefined;

/** Every object in a payload that describes a trail (DescribeTrails' trailList entries, wherever kept). */
function* trailsIn(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) yield* trailsIn(v);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.TrailARN === "string") yield o;
    for (const v of Object.values(o)) if (v && typeof v === "object") yield* trailsIn(v);
  }
}

/**
 * The cross-account index streaming evaluation needs (issue 11): for each account, the other
 * accounts whose evidence its findings depend on. Built from the trail records alone (DescribeTrails
 * is small), before any account is evaluated:
 *
 * - a member account that lists an organisation trail homed in another account depends on that
 *   account (its trail is judged from the home evidence, trail-coverage.ts);
 * - an account whose trail delivers to a log group in another account depends on that account (the
 *   group's metric filters and alarms), and that account on it (the trail makes the group a security
 *   log group).
 *
 * Only accounts in scope are returned: evidence outside the scope is not read by either path.
 */
export async function relatedAccounts(
  store: EvidenceStore,
  options: {
    accounts: string[];
    regions: string[];
    window: { start: number; end: number };
    now: number;
    vouched?: VouchedRecords;
  },
): Promise<Map<string, Set<string>>> {
  const inScope = new Set(options.accounts);
  const related = new Map<string, Set<string>>(options.accounts.map((a) => [a, new Set<string>()]));
  const link = (from: string, to: string | undefined) => {
    if (to && to !== from && inScope.has(to)) related.get(from)?.add(to);
  };
  const collectors = collectorsFor("cloudtrail_trail").filter((c) => !historyCollectorIds.has(c));
  const scratch: IgnoredRecord[] = []; // the evaluation itself reports ignored records
  for (const account of options.accounts) {
    const records = await readEvidence(store, {
      ...options,
      accounts: [account],
      collectors,
      ignored: scratch,
    });
    for (const { record } of records) {
      for (const trail of trailsIn(record.payload)) {
        const owner = trailOwner(trail.TrailARN) ?? account;
        const group = logGroupOf(
          typeof trail.CloudWatchLogsLogGroupArn === "string" ? trail.CloudWatchLogsLogGroupArn : undefined,
        )?.account;
        link(account, owner);
        link(account, group);
        if (owner === account && group) link(group, account);
      }
    }
  }
  return related;
}
