import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { HttpHandler } from "@smithy/protocol-http";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { CallerIdentity } from "../evidence/ledger-format.js";
import { GLOBAL_REGION } from "../evidence/record.js";
import { applyRateLimit, type MiddlewareClient, type RateLimiter } from "./rate-limit.js";
import { type ClientConstructor, SERVICE_NAMES, SERVICES, type ServiceName } from "./services.js";
import { type AwsTimeouts, timeoutConfig } from "./timeouts.js";

/** The SDK clients auditpack knows (aws/services.ts), by their signing name. */
const SERVICE_OF = new Map<ClientConstructor<unknown>, ServiceName>(
  SERVICE_NAMES.map((name) => [SERVICES[name].client, name]),
);

export function serviceOf(ctor: ClientConstructor<unknown>): ServiceName {
  const service = SERVICE_OF.get(ctor);
  if (!service)
    throw new TypeError(
      `${ctor.name} is not a client auditpack knows (add it to SERVICES in aws/services.ts)`,
    );
  return service;
}

/** How to reach one account: its own profile, or a role assumed from the base credentials. */
export interface AccountAccess {
  id: string;
  roleArn?: string;
  externalId?: string;
  profile?: string;
}

/** Fixed, obviously fake credentials for replay: fixtures never reach the network. */
export const REPLAY_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: "AKIAREPLAYFIXTURE000",
  secretAccessKey: "replay-fixture-not-a-secret",
};

/** Region used for STS (GetCallerIdentity, AssumeRole) when nothing else names one. */
export const DEFAULT_STS_REGION = "us-east-1";

export interface ClientFactoryOptions {
  /** Per-account access (roleArn, externalId, profile); accounts not listed use the base credentials. */
  accounts?: readonly AccountAccess[];
  /** Profile for the base credentials (--profile, then aws.profile in the config). */
  profile?: string;
  /** Endpoint for every service, only when configured: AWS_ENDPOINT_URL(_<SERVICE>) keep working otherwise. */
  endpoint?: string;
  maxAttempts?: number;
  /** Connect and request timeouts per attempt (default: 5 s and 60 s). */
  timeouts?: AwsTimeouts;
  /** Base credentials instead of the default provider chain (tests, embedding). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Replay mode: the transport for each account, region and service. No credentials, no network. */
  replay?: (account: string, region: string, service: ServiceName) => HttpHandler;
  /**
   * Wraps the SDK's default transport (live runs), e.g. to record fixtures. The wrapper gets the
   * client's own handler, so proxies and timeouts configured for the SDK still apply.
   */
  wrapHandler?: (
    inner: HttpHandler,
    scope: { account: string; region: string; service: ServiceName },
  ) => HttpHandler;
  limiter?: RateLimiter;
  /** Region for STS calls (default: us-east-1, or the first region in scope). */
  stsRegion?: string;
  /** RoleSessionName for assumed roles (CloudTrail shows it on every call). */
  sessionName?: string;
}

interface Destroyable {
  destroy(): void;
}

/**
 * One SDK client per (service, account, region, credential set), created on first use and reused.
 * Adaptive retries; documented rate limits applied as middleware.
 */
export class ClientFactory {
  private readonly clients = new Map<string, unknown>();
  private readonly credentialsByAccount = new Map<
    string,
    AwsCredentialIdentityProvider | AwsCredentialIdentity
  >();
  private baseProvider?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  private readonly access: Map<string, AccountAccess>;

  constructor(private readonly options: ClientFactoryOptions = {}) {
    this.access = new Map((options.accounts ?? []).map((a) => [a.id, a]));
  }

  get replaying(): boolean {
    return this.options.replay !== undefined;
  }

  client<C>(ctor: ClientConstructor<C>, account: string, region: string): C {
    const service = serviceOf(ctor);
    const key = `${service}|${account}|${region}|${this.credentialSetId(account)}`;
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      client = this.create(ctor, service, account, region);
      this.clients.set(key, client);
    }
    return client;
  }

  /** STS GetCallerIdentity with the credentials used for `account` (who collected, for the manifest). */
  async callerIdentity(account: string, signal?: AbortSignal): Promise<CallerIdentity> {
    const sts = this.client(STSClient, account, this.replaying ? GLOBAL_REGION : this.stsRegion());
    const out = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    if (!out.Account || !out.Arn) throw new Error("GetCallerIdentity returned no Account or Arn");
    const identity: CallerIdentity = { account: out.Account, arn: out.Arn };
    if (out.UserId) identity.userId = out.UserId;
    return identity;
  }

  destroy(): void {
    for (const client of this.clients.values()) (client as Destroyable).destroy?.();
    this.clients.clear();
  }

  private stsRegion(): string {
    return this.options.stsRegion ?? DEFAULT_STS_REGION;
  }

  private credentialSetId(account: string): string {
    if (this.replaying) return "replay";
    const access = this.access.get(account);
    if (access?.roleArn) return `role:${access.roleArn}:${access.externalId ?? ""}`;
    if (access?.profile) return `profile:${access.profile}`;
    return "base";
  }

  private create<C>(ctor: ClientConstructor<C>, service: ServiceName, account: string, region: string): C {
    const config: Record<string, unknown> = {
      // Clients are regional; STS in replay mode answers from the account's "global" files.
      region: region === GLOBAL_REGION ? this.stsRegion() : region,
      retryMode: "adaptive",
      maxAttempts: this.options.maxAttempts ?? 5,
    };
    if (this.options.replay) {
      config.credentials = REPLAY_CREDENTIALS;
      config.requestHandler = this.options.replay(account, region, service);
    } else {
      config.credentials = this.credentialsFor(account);
      if (this.options.endpoint) config.endpoint = this.options.endpoint;
      Object.assign(config, timeoutConfig(this.options.timeouts));
    }
    const client = new ctor(config);
    const sdk = client as unknown as MiddlewareClient & { config: { requestHandler: HttpHandler } };
    if (this.options.limiter) applyRateLimit(sdk, this.options.limiter, { account, region, service });
    if (!this.options.replay && this.options.wrapHandler) {
      // The resolved config holds the SDK's default transport; every send reads it from there.
      sdk.config.requestHandler = this.options.wrapHandler(sdk.config.requestHandler, {
        account,
        region,
        service,
      });
    }
    return client;
  }

  private base(): AwsCredentialIdentityProvider | AwsCredentialIdentity {
    this.baseProvider ??=
      this.options.credentials ??
      shared(
        fromNodeProviderChain({
          ...this.chainOptions(),
          ...(this.options.profile ? { profile: this.options.profile } : {}),
        }),
      );
    return this.baseProvider;
  }

  /** The credential chain's own clients (SSO, STS for role profiles) get the same timeouts. */
  private chainOptions(): { clientConfig: ReturnType<typeof timeoutConfig> } {
    return { clientConfig: timeoutConfig(this.options.timeouts) };
  }

  /** Credentials per account, shared by all its clients (one AssumeRole per account, refreshed before expiry). */
  private credentialsFor(account: string): AwsCredentialIdentityProvider | AwsCredentialIdentity {
    let provider = this.credentialsByAccount.get(account);
    if (provider) return provider;
    const access = this.access.get(account);
    const source = access?.profile
      ? shared(fromNodeProviderChain({ ...this.chainOptions(), profile: access.profile }))
      : this.base();
    if (access?.roleArn) {
      const clientConfig: Record<string, unknown> = {
        region: this.stsRegion(),
        maxAttempts: this.options.maxAttempts ?? 5,
        ...timeoutConfig(this.options.timeouts),
      };
      if (this.options.endpoint) clientConfig.endpoint = this.options.endpoint;
      provider = shared(
        fromTemporaryCredentials({
          params: {
            RoleArn: access.roleArn,
            ...(access.externalId ? { ExternalId: access.externalId } : {}),
            RoleSessionName: this.options.sessionName ?? "auditpack",
            DurationSeconds: 3600,
          },
          masterCredentials: source,
          clientConfig,
        }),
      );
    } else {
      provider = source;
    }
    this.credentialsByAccount.set(account, provider);
    return provider;
  }
}

/** Seconds before expiry at which shared credentials are refreshed. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Memoise a provider so every client of an account shares one set of credentials (one AssumeRole,
 * not one per client), refreshing shortly before they expire and retrying after a failure.
 */
export function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (pending) {
      const current = await pending.catch(() => undefined);
      const expiry = current?.expiration?.getTime();
      if (current && (expiry === undefined || expiry - Date.now() > REFRESH_MARGIN_MS)) return current;
    }
    pending = provider();
    const result = pending;
    result.catch(() => {
      if (pending === result) pending = undefined;
    });
    return result;
  };
}
