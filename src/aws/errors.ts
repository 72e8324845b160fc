import { fromIni } from "@aws-sdk/credential-providers";
import { loadSharedConfigFiles } from "@smithy/core/config";

/**
 * What kind of failure an AWS call met, so messages point at the real cause: a network that does not
 * answer is not a credentials problem, and "Could not load credentials from any providers" says
 * nothing about which profile failed or why.
 */
export type AwsFailureKind = "network" | "timeout" | "credentials" | "other";

/** Node's socket and DNS error codes that mean the endpoint could not be reached. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
]);

interface ErrorLike {
  name?: string;
  code?: unknown;
  message?: string;
  $metadata?: { attempts?: number };
}

export function failureKind(error: unknown): AwsFailureKind {
  const e = (error ?? {}) as ErrorLike;
  if (e.name === "TimeoutError") return "timeout";
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return "network";
  if (e.name === "CredentialsProviderError") return "credentials";
  return "other";
}

/**
 * A network or timeout failure as an error code and message that say so, naming the timeout that
 * fired and how many attempts were made; undefined for any other error.
 */
export function describeNetworkFailure(error: unknown): { code: string; message: string } | undefined {
  const kind = failureKind(error);
  if (kind !== "network" && kind !== "timeout") return undefined;
  const e = error as ErrorLike;
  const attempts = e.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const raw = e.message ?? String(error);
  if (kind === "timeout") {
    const ms = /(\d+) ms/.exec(raw)?.[1];
    const connect = /establish a connection/.test(raw);
    const which = connect
      ? "connect timeout (aws.timeouts.connect, --connect-timeout)"
      : "request timeout (aws.timeouts.request, --read-timeout)";
    const limit = ms ? ` of ${Number(ms) / 1000} s` : "";
    return {
      code: "TimeoutError",
      message: `network: the endpoint did not answer within the ${which}${limit}${tries}: ${raw}`,
    };
  }
  return { code: String(e.code), message: `network: cannot reach the AWS endpoint${tries}: ${raw}` };
}

/** The hint for a failure of the first AWS call, by kind. */
export function failureHint(kind: AwsFailureKind): string {
  switch (kind) {
    case "network":
    case "timeout":
      return "check the network path to AWS (proxy, VPN, VPC endpoint, AWS_ENDPOINT_URL, aws.endpoint); raise aws.timeouts or --connect-timeout/--read-timeout for slow links";
    case "credentials":
      return "fix the profile named above (`aws sso login --profile <name>`, `aws configure --profile <name>`), pass --profile, set AWS_PROFILE, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    default:
      return "check the credentials' permissions (`auditpack iam-policy`), or list scope.accounts in the config";
  }
}

/**
 * Why the credential chain failed, in the AWS CLI's words: which profile, whether it exists, and the
 * profile's own error (a credential_process's stderr, an expired SSO token). The SDK's chain only says
 * "Could not load credentials from any providers".
 */
export async function explainCredentialsFailure(
  error: unknown,
  profile: string | undefined = process.env.AWS_PROFILE,
): Promise<string> {
  const raw = (error as ErrorLike)?.message ?? String(error);
  if (!profile) {
    return `no AWS credentials found (no profile named, nothing in the environment, no SSO session or instance role): ${raw}`;
  }
  const files = await loadSharedConfigFiles({ ignoreCache: true }).catch(() => ({
    configFile: {},
    credentialsFile: {},
  }));
  const known = Object.hasOwn(files.configFile, profile) || Object.hasOwn(files.credentialsFile, profile);
  if (!known) {
    return `the config profile (${profile}) could not be found in ${configFileNames()}`;
  }
  try {
    await fromIni({ profile, ignoreCache: true })();
  } catch (cause) {
    const detail = ((cause as ErrorLike).message ?? String(cause)).trim();
    return `cannot load credentials for profile ${profile}: ${detail}`;
  }
  return `cannot load credentials for profile ${profile}: ${raw}`;
}

function configFileNames(): string {
  const config = process.env.AWS_CONFIG_FILE ?? "~/.aws/config";
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials";
  return `${config} or ${credentials}`;
}

/**
 * The first call in an account failed (GetCallerIdentity): its code and a message naming the cause,
 * with the credential chain's failure explained for the profile in effect.
 */
export async function describeAccessFailure(
  error: unknown,
  profile: string | undefined,
): Promise<{ kind: AwsFailureKind; code: string; message: string }> {
  const kind = failureKind(error);
  const network = describeNetworkFailure(error);
  if (network) return { kind, ...network };
  const e = (error ?? {}) as ErrorLike;
  if (kind === "credentials") {
    return {
      kind,
      code: "CredentialsProviderError",
      message: await explainCredentialsFailure(error, profile),
    };
  }
  return { kind, code: e.name ?? "Error", message: e.message ?? String(error) };
}
