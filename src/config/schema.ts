import { z } from "zod";
import { AssessmentSchema } from "./assessment.js";
import { AttestationSchema } from "./attestation.js";

/**
 * The auditpack.config.yaml schema. Every object is strict: an unknown key is an error that names
 * its path, so a typo never silently falls back to a default.
 */

const accountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name such as eu-west-1");
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "an IAM role ARN");

export const AccountSchema = z.strictObject({
  id: accountId,
  name: z.string().min(1).optional(),
  roleArn: roleArn.optional(),
  externalId: z.string().min(2).max(1224).optional(),
  /** Named profile from ~/.aws/config for this account (otherwise the default credential chain). */
  profile: z.string().min(1).optional(),
});

export const ScopeSchema = z.strictObject({
  accounts: z.array(AccountSchema).default([]),
  regions: z.array(region).default([]),
  /** Discover member accounts through AWS Organizations (ListAccounts). */
  organization: z.boolean().default(false),
  /** With organization: the read-only role assumed in each discovered member account (the StackSet's). */
  organizationRole: z
    .string()
    .regex(/^[\w+=,.@/-]{1,64}$/, "an IAM role name such as auditpack-readonly")
    .optional(),
});

export const FsStoreSchema = z.strictObject({
  type: z.literal("fs"),
  path: z.string().min(1),
});

export const S3StoreSchema = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
  prefix: z.string().default(""),
  region: region.optional(),
  endpoint: z.url().optional(),
  forcePathStyle: z.boolean().default(false),
  kmsKeyId: z.string().min(1).optional(),
  objectLock: z
    .strictObject({
      mode: z.enum(["GOVERNANCE", "COMPLIANCE"]),
      days: z.number().int().min(1).max(36500),
    })
    .optional(),
});

export const StoreSchema = z.discriminatedUnion("type", [FsStoreSchema, S3StoreSchema]);

export const Ed25519SigningSchema = z.strictObject({
  type: z.literal("ed25519"),
  /** PEM PKCS#8 private key; created on first use when absent. */
  keyFile: z.string().min(1),
  /** PKCS#12 (key + X.509 certificate) used for the embedded PDF signature. */
  p12File: z.string().min(1).optional(),
  p12Passphrase: z.string().optional(),
});

export const KmsSigningSchema = z.strictObject({
  type: z.literal("kms"),
  keyId: z.string().min(1),
  region: region.optional(),
  endpoint: z.url().optional(),
  p12File: z.string().min(1).optional(),
  p12Passphrase: z.string().optional(),
});

export const SigningSchema = z.discriminatedUnion("type", [Ed25519SigningSchema, KmsSigningSchema]);

export const ScheduleSchema = z.strictObject({
  collector: z.string().min(1),
  cron: z.string().min(1),
});

export const AwsSchema = z.strictObject({
  /** Endpoint override for every service (e.g. a local emulator); AWS_ENDPOINT_URL works too. */
  endpoint: z.url().optional(),
  profile: z.string().min(1).optional(),
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** Account-region pairs collected at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Seconds per attempt to connect and to get a whole response (the SDK's retries still apply). */
  timeouts: z
    .strictObject({
      connect: z.number().positive().max(3600).default(5),
      request: z.number().positive().max(3600).default(60),
    })
    .default({ connect: 5, request: 60 }),
});

export const ConfigSchema = z.strictObject({
  organization: z.strictObject({ name: z.string().min(1) }).default({ name: "Unnamed organisation" }),
  scope: ScopeSchema.default({ accounts: [], regions: [], organization: false }),
  store: StoreSchema.default({ type: "fs", path: "./auditpack-store" }),
  signing: SigningSchema.default({ type: "ed25519", keyFile: "./auditpack-keys/signing-key.pem" }),
  aws: AwsSchema.default({ maxAttempts: 5, concurrency: 4, timeouts: { connect: 5, request: 60 } }),
  /**
   * Public key files (PEM, relative to the config file) trusted besides the configured signer's:
   * verify and evaluate count only manifests and seals these keys (or their signed successors) made.
   */
  trust: z.array(z.string().min(1)).default([]),
  /** Per-collector options, keyed by collector id (validated by each collector). */
  collectors: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  schedules: z.array(ScheduleSchema).default([]),
  /** The assessment's scope as data: entity type, CDE, reasons, resource roles (config/assessment.ts). */
  assessment: AssessmentSchema.optional(),
  /** Who attests the report package: management's assertion and the assessor (config/attestation.ts). */
  attestation: AttestationSchema.optional(),
});

export type AuditpackConfig = z.infer<typeof ConfigSchema>;
export type StoreConfig = z.infer<typeof StoreSchema>;
export type S3StoreConfig = z.infer<typeof S3StoreSchema>;
export type SigningConfig = z.infer<typeof SigningSchema>;
export type AccountConfig = z.infer<typeof AccountSchema>;
