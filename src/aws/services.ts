import * as cloudtrail from "@aws-sdk/client-cloudtrail";
import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import * as logs from "@aws-sdk/client-cloudwatch-logs";
import * as cognito from "@aws-sdk/client-cognito-identity-provider";
import * as config from "@aws-sdk/client-config-service";
import * as sts from "@aws-sdk/client-sts";

/** A client constructor from @aws-sdk/client-*. */
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take differing config types
export type ClientConstructor<C> = new (config: any) => C;

/**
 * How a service is spoken on the wire: awsJson (x-amz-target, JSON body), awsJson that is also
 * awsQueryCompatible (errors carry x-amzn-query-error), or awsQuery (form request, XML answer).
 */
export type Protocol = "json" | "json-query-compatible" | "query";

export interface ServiceInfo {
  /** SigV4 signing name: also the fixture file name (<account>/<region>/<signingName>.json). */
  signingName: string;
  /** IAM action prefix, e.g. "cloudwatch" for the monitoring signing name. */
  iamPrefix: string;
  client: ClientConstructor<unknown>;
  protocol: Protocol;
  /** The SDK module: replay reads the `<Operation>$` schemas it exports to shape answers. */
  sdk: Record<string, unknown>;
  /** awsQuery XML namespace of the responses. */
  xmlNamespace?: string;
  /** Request-rate quotas AWS documents per account and region, by operation (applied client-side). */
  rateLimits?: Readonly<Record<string, { perSecond: number; burst: number }>>;
}

/**
 * Every AWS service auditpack talks to, keyed by signing name: the one list the client factory,
 * replay, fixtures, collectors and the IAM policy read. A new service is one entry here.
 */
const TABLE = {
  config: {
    signingName: "config",
    iamPrefix: "config",
    client: config.ConfigServiceClient,
    protocol: "json",
    sdk: config,
  },
  cloudtrail: {
    signingName: "cloudtrail",
    iamPrefix: "cloudtrail",
    client: cloudtrail.CloudTrailClient,
    protocol: "json",
    sdk: cloudtrail,
    // LookupEvents: 2 requests per second per account and region (AWS CloudTrail quotas).
    rateLimits: { LookupEvents: { perSecond: 2, burst: 1 } },
  },
  logs: {
    signingName: "logs",
    iamPrefix: "logs",
    client: logs.CloudWatchLogsClient,
    protocol: "json",
    sdk: logs,
  },
  monitoring: {
    signingName: "monitoring",
    iamPrefix: "cloudwatch",
    client: cloudwatch.CloudWatchClient,
    protocol: "json-query-compatible",
    sdk: cloudwatch,
  },
  "cognito-idp": {
    signingName: "cognito-idp",
    iamPrefix: "cognito-idp",
    client: cognito.CognitoIdentityProviderClient,
    protocol: "json",
    sdk: cognito,
  },
  sts: {
    signingName: "sts",
    iamPrefix: "sts",
    client: sts.STSClient,
    protocol: "query",
    sdk: sts,
    xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  },
} as const satisfies Record<string, ServiceInfo>;

/** SDK signing names of the services auditpack reads. */
export type ServiceName = keyof typeof TABLE;

export const SERVICES: Readonly<Record<ServiceName, ServiceInfo>> = TABLE;

/** The call every run makes to learn who is collecting (for the run manifest). */
export const CALLER_IDENTITY = { service: "sts", operation: "GetCallerIdentity" } as const satisfies {
  service: ServiceName;
  operation: string;
};

export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export function serviceInfo(service: ServiceName): ServiceInfo {
  return SERVICES[service];
}

export function isServiceName(value: string): value is ServiceName {
  return Object.hasOwn(SERVICES, value);
}

/** The IAM action for one operation of a service, e.g. "cloudwatch:DescribeAlarms". */
export function iamAction(service: ServiceName, operation: string): string {
  return `${SERVICES[service].iamPrefix}:${operation}`;
}
