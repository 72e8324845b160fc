import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import {
  GetPublicKeyCommand,
  type GetPublicKeyCommandOutput,
  KMSClient,
  type KMSClientConfig,
  type MessageType,
  SignCommand,
} from "@aws-sdk/client-kms";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { timeoutConfig } from "../aws/timeouts.js";
import { AuditpackError, ExitCode, UsageError } from "../errors.js";
import type { Signature, Signer } from "./types.js";
import { keyIdOf, verifySignature } from "./verify.js";

export interface KmsSignerOptions {
  /** Key id, key ARN, alias name ("alias/auditpack") or alias ARN. */
  keyId: string;
  /** Defaults to the region in a key ARN, then to the SDK's own chain (AWS_REGION, profile). */
  region?: string;
  endpoint?: string;
  maxAttempts?: number;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A ready client; the connection options above are then ignored. */
  client?: KMSClient;
}

/** KMS Sign accepts at most 4096 bytes with MessageType RAW; longer messages are signed as a digest. */
const RAW_MESSAGE_LIMIT = 4096;
const SIGNING_ALGORITHM = "ECDSA_SHA_256";

interface PublicKey {
  key: KeyObject;
  pem: string;
  fingerprint: string;
}

/**
 * Signs with an AWS KMS ECC_NIST_P256 key (ECDSA_SHA_256). KMS returns DER-encoded ECDSA signatures, which
 * `openssl dgst -sha256 -verify pub.pem -signature sig.bin data` checks with the exported public key.
 * Every signature is verified locally before it is returned, so a misbehaving KMS (or emulator) can never
 * produce a signature nobody can check.
 */
export class KmsSigner implements Signer {
  readonly algorithm = "ecdsa-p256-sha256" as const;
  /** The KMS key as configured (id, ARN or alias). */
  readonly kmsKeyId: string;
  private readonly client: KMSClient;
  private publicKey: Promise<PublicKey> | undefined;

  constructor(options: KmsSignerOptions) {
    if (typeof options.keyId !== "string" || options.keyId.trim() === "") {
      throw new UsageError("signing.keyId is required for a kms signer", {
        hint: "set it to a KMS key id, key ARN or alias/<name> of an ECC_NIST_P256 SIGN_VERIFY key",
      });
    }
    this.kmsKeyId = options.keyId;
    this.client = options.client ?? new KMSClient(clientConfig(options));
  }

  async keyId(): Promise<string> {
    return (await this.loadPublicKey()).fingerprint;
  }

  async publicKeyPem(): Promise<string> {
    return (await this.loadPublicKey()).pem;
  }

  async sign(data: Uint8Array): Promise<Signature> {
    const publicKey = await this.loadPublicKey();
    const signatureOf = async (messageType: MessageType): Promise<Signature> => ({
      algorithm: this.algorithm,
      keyId: publicKey.fingerprint,
      value: (await this.kmsSign(data, messageType)).toString("base64"),
    });
    const large = data.byteLength > RAW_MESSAGE_LIMIT;
    let signature = await signatureOf(large ? "DIGEST" : "RAW");
    // Some emulators (moto) ignore MessageType DIGEST and sign the digest bytes as a message; they do
    // accept long RAW messages, so one RAW attempt recovers there. Real KMS never reaches this branch.
    if (large && !verifySignature(data, signature, publicKey.key)) signature = await signatureOf("RAW");
    if (!verifySignature(data, signature, publicKey.key)) {
      throw new AuditpackError(
        `KMS key ${this.kmsKeyId} returned a signature that does not verify with its own public key`,
        {
          exitCode: ExitCode.failed,
          hint: "the KMS endpoint is not behaving like AWS KMS: check signing.endpoint / AWS_ENDPOINT_URL",
        },
      );
    }
    return signature;
  }

  private async kmsSign(data: Uint8Array, messageType: MessageType): Promise<Buffer> {
    const message = messageType === "DIGEST" ? createHash("sha256").update(data).digest() : data;
    try {
      const output = await this.client.send(
        new SignCommand({
          KeyId: this.kmsKeyId,
          Message: message,
          MessageType: messageType,
          SigningAlgorithm: SIGNING_ALGORITHM,
        }),
      );
      if (!output.Signature)
        throw new AuditpackError("KMS Sign answered without a signature", {
          exitCode: ExitCode.partial,
          hint: "retry; if it persists, check that the key is enabled and its key spec is one auditpack signs with",
        });
      return Buffer.from(output.Signature);
    } catch (error) {
      throw this.kmsError("Sign", error);
    }
  }

  /** GetPublicKey once per signer; a failure is not cached, so a later call can succeed. */
  private loadPublicKey(): Promise<PublicKey> {
    this.publicKey ??= this.fetchPublicKey().catch((error: unknown) => {
      this.publicKey = undefined;
      throw error;
    });
    return this.publicKey;
  }

  private async fetchPublicKey(): Promise<PublicKey> {
    let output: GetPublicKeyCommandOutput;
    try {
      output = await this.client.send(new GetPublicKeyCommand({ KeyId: this.kmsKeyId }));
    } catch (error) {
      throw this.kmsError("GetPublicKey", error);
    }
    const wrongKey = (found: string) =>
      new UsageError(`KMS key ${this.kmsKeyId} is ${found}, not an ECC_NIST_P256 SIGN_VERIFY key`, {
        hint: "point signing.keyId at a key created with --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY",
      });
    if (output.KeySpec && output.KeySpec !== "ECC_NIST_P256") throw wrongKey(`a ${output.KeySpec} key`);
    if (output.KeyUsage && output.KeyUsage !== "SIGN_VERIFY") throw wrongKey(`a ${output.KeyUsage} key`);
    if (output.SigningAlgorithms && !output.SigningAlgorithms.includes(SIGNING_ALGORITHM))
      throw wrongKey(`a key without ${SIGNING_ALGORITHM}`);
    if (!output.PublicKey) throw wrongKey("a key without a public key");
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(output.PublicKey), format: "der", type: "spki" });
    } catch (cause) {
      throw new AuditpackError(`KMS returned a public key for ${this.kmsKeyId} that is not DER SPKI`, {
        cause,
      });
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
      throw wrongKey(
        `a ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ""} key`.trimEnd(),
      );
    return { key, pem: key.export({ type: "spki", format: "pem" }).toString(), fingerprint: keyIdOf(key) };
  }

  private kmsError(operation: string, error: unknown): AuditpackError {
    const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const code = e.name && e.name !== "Error" ? e.name : ((error as { code?: string }).code ?? "Error");
    const status = e.$metadata?.httpStatusCode;
    const detail = `${code}${status ? `, HTTP ${status}` : ""}${e.message && e.message !== code ? `: ${e.message}` : ""}`;
    const key = `KMS key ${this.kmsKeyId}`;
    const options = { cause: error };
    switch (code) {
      case "NotFoundException":
        return new UsageError(`${key} was not found (${detail})`, {
          ...options,
          hint: "check signing.keyId (key id, key ARN or alias/<name>) and signing.region: the key must exist in the region called",
        });
      case "DisabledException":
      case "KMSInvalidStateException":
        return new UsageError(`${key} cannot sign in its current state (${detail})`, {
          ...options,
          hint: "enable the key (aws kms enable-key), or cancel its pending deletion",
        });
      case "InvalidKeyUsageException":
      case "UnsupportedOperationException":
        return new UsageError(`${key} cannot sign with ${SIGNING_ALGORITHM} (${detail})`, {
          ...options,
          hint: "point signing.keyId at a key created with --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY",
        });
      case "AccessDeniedException":
        return new AuditpackError(`${operation} on ${key} was denied (${detail})`, {
          ...options,
          exitCode: ExitCode.failed,
          hint: "check the AWS credentials, and that their policy and the key policy allow kms:Sign and kms:GetPublicKey",
        });
      default:
        return new AuditpackError(`KMS ${operation} with ${key} failed (${detail})`, {
          ...options,
          exitCode: ExitCode.partial,
          hint: /Region is missing/i.test(e.message ?? "")
            ? "set signing.region in the config or AWS_REGION in the environment"
            : "check the network, signing.endpoint / AWS_ENDPOINT_URL, signing.region and the credentials, then retry",
        });
    }
  }
}

function clientConfig(options: KmsSignerOptions): KMSClientConfig {
  // Only set what is configured, so the SDK's own chain (AWS_REGION, AWS_ENDPOINT_URL, profiles) still applies.
  const config: KMSClientConfig = { ...timeoutConfig() };
  const region = options.region ?? regionOfArn(options.keyId);
  if (region) config.region = region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.credentials) config.credentials = options.credentials;
  return config;
}

/** arn:aws:kms:eu-west-1:111122223333:key/... names its region. */
function regionOfArn(keyId: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:/.exec(keyId)?.[1];
}
