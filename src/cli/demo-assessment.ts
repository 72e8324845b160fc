/**
 * The demo's assessment scope (config `assessment`): Example Payments Ltd is a payment service
 * provider. Its workforce signs in through payments-workforce; the *customers* pools hold consumers
 * (cardholders) paying at checkout, outside Requirement 8's populations; the CloudTrail and Config
 * buckets are the log archive, the cardholder-data bucket is not a log store.
 */
export const DEMO_ASSESSMENT = {
  entityType: "service-provider",
  cde: "The payments-prod account (111122223333): the checkout and settlement services in eu-west-1 with their disaster-recovery copy in us-east-1, the cardholder-data bucket, and the identity and logging services that can affect them.",
  accounts: [
    { id: "111122223333", reason: "payments-prod: hosts the CDE" },
    {
      id: "444455556666",
      reason:
        "payments-staging: connected to the CDE through the shared deployment pipeline (connected-to system)",
    },
  ],
  regions: [
    { region: "eu-west-1", reason: "primary region of the CDE and home of the organisation trail" },
    { region: "us-east-1", reason: "disaster-recovery region; global services (IAM, CloudFront) log here" },
  ],
  roles: {
    userPools: [
      { role: "workforce", name: "payments-workforce" },
      { role: "consumer", name: "payments-*customers*" },
    ],
    buckets: [
      { role: "log-archive", name: "payments-prod-cloudtrail-*" },
      { role: "log-archive", name: "payments-prod-config-*" },
      { role: "cardholder-data", name: "payments-prod-cardholder-data-*" },
    ],
  },
} as const;
