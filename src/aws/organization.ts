import {
  type Account,
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountConfig, AuditpackConfig } from "../config/schema.js";
import { AuditpackError, ExitCode, UsageError } from "../errors.js";
import { type AwsTimeouts, timeoutConfig } from "./timeouts.js";

/**
 * `scope.organization: true`: the accounts to collect are the organisation's ACTIVE member accounts,
 * listed through AWS Organizations ListAccounts from the management account or a delegated
 * administrator (the central account). Member accounts never need this permission.
 */

/** What the central account needs on top of `auditpack iam-policy` (never part of the member role). */
export const ORGANIZATION_IAM_ACTIONS: readonly string[] = ["organizations:ListAccounts"];

/** Organizations is a global service served from us-east-1 (aws partition). */
const ORGANIZATIONS_REGION = "us-east-1";

export interface OrganizationAccount {
  id: string;
  name?: string;
  email?: string;
}

interface ListAccountsClient {
  send(
    command: ListAccountsCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<ListAccountsCommandOutput>;
}

/** `State` replaces the deprecated `Status` (AWS, September 2026); read whichever the API returns. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === "ACTIVE";
}

/** Every ACTIVE account of the organisation, all pages, sorted by id. */
export async function listActiveAccounts(
  client: ListAccountsClient,
  signal?: AbortSignal,
): Promise<OrganizationAccount[]> {
  const accounts: OrganizationAccount[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListAccountsCommand({ MaxResults: 20, ...(token ? { NextToken: token } : {}) }),
      { abortSignal: signal },
    );
    for (const account of page.Accounts ?? []) {
      if (!account.Id || !isActive(account)) continue;
      accounts.push({
        id: account.Id,
        ...(account.Name ? { name: account.Name } : {}),
        ...(account.Email ? { email: account.Email } : {}),
      });
    }
    token = page.NextToken;
    // A token seen before would loop forever: the API never does that, but a proxy might.
    if (token && seen.has(token))
      throw new AuditpackError(`ListAccounts returned the same NextToken twice (${token})`, {
        exitCode: ExitCode.partial,
        hint: "a proxy or endpoint between auditpack and AWS Organizations is replaying pages; list scope.accounts in the config instead",
      });
    if (token) seen.add(token);
  } while (token);
  return accounts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface DiscoverOptions {
  /** A ready client (tests); otherwise one is built from the options below. */
  client?: ListAccountsClient;
  endpoint?: string;
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  timeouts?: AwsTimeouts;
  /**
   * Name of the read-only role in each member account (the StackSet's role). Discovered accounts
   * get `arn:<partition>:iam::<id>:role/<name>`; without it they use the base credentials.
   */
  memberRoleName?: string;
  partition?: string;
  signal?: AbortSignal;
}

export function organizationsClient(
  options: Omit<DiscoverOptions, "client" | "memberRoleName" | "signal"> = {},
): OrganizationsClient {
  return new OrganizationsClient({
    region: ORGANIZATIONS_REGION,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: "adaptive",
    ...timeoutConfig(options.timeouts),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    credentials:
      options.credentials ??
      (options.profile ? fromNodeProviderChain({ profile: options.profile }) : undefined),
  });
}

/**
 * The accounts a run covers when `scope.organization` is true: every ACTIVE organisation account,
 * merged with `scope.accounts` (a configured entry keeps its own roleArn, externalId or profile, so
 * exceptions stay possible). Configured accounts outside the organisation are kept too.
 */
export async function discoverAccounts(
  config: AuditpackConfig,
  options: DiscoverOptions = {},
): Promise<AccountConfig[]> {
  const client =
    options.client ??
    organizationsClient({
      endpoint: options.endpoint ?? config.aws.endpoint,
      profile: options.profile ?? config.aws.profile,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? config.aws.maxAttempts,
      timeouts: options.timeouts ?? config.aws.timeouts,
    });
  let listed: OrganizationAccount[];
  try {
    listed = await listActiveAccounts(client, options.signal);
  } catch (cause) {
    const e = cause as { name?: string; message?: string };
    throw new UsageError(
      `cannot list the organisation's accounts (scope.organization: true): ${e.name ?? "Error"}: ${e.message ?? String(cause)}`,
      {
        cause,
        hint:
          "run from the management account or a delegated administrator with organizations:ListAccounts " +
          "(see docs/DEPLOY.md), or set scope.organization to false and list scope.accounts",
      },
    );
  } finally {
    if (!options.client) (client as OrganizationsClient).destroy();
  }
  const configured = new Map(config.scope.accounts.map((a) => [a.id, a]));
  const partition = options.partition ?? "aws";
  const out: AccountConfig[] = listed.map((account) => {
    const own = configured.get(account.id);
    if (own) return own;
    return {
      id: account.id,
      ...(account.name ? { name: account.name } : {}),
      ...(options.memberRoleName
        ? { roleArn: `arn:${partition}:iam::${account.id}:role/${options.memberRoleName}` }
        : {}),
    };
  });
  for (const own of config.scope.accounts) if (!listed.some((a) => a.id === own.id)) out.push(own);
  return out;
}
