/**
 * Error classes shared by the library and the CLI. Each carries the exit code the CLI uses, so a
 * command never has to guess: 1 verification/compliance failure, 2 usage or input error, 3 partial failure.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  partial: 3,
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class AuditpackError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can do about it, printed after the message. */
  readonly hint?: string;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.internal;
    this.hint = options.hint;
  }
}

/** Bad input: an option, a config field, a file. Exit 2. */
export class UsageError extends AuditpackError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/** Evidence, a package or a compliance result did not verify. Exit 1. */
export class VerificationError extends AuditpackError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.failed });
  }
}

/** A create-only write found the key already present. */
export class ObjectExistsError extends AuditpackError {
  readonly key: string;
  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`refusing to overwrite existing object ${key}`, { ...options, exitCode: ExitCode.failed });
    this.key = key;
  }
}

/** A read found no object at the key. */
export class ObjectNotFoundError extends AuditpackError {
  readonly key: string;
  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`no object at ${key}`, { ...options, exitCode: ExitCode.failed });
    this.key = key;
  }
}

/** The store itself failed (network, permissions, disk): the caller may retry. */
export class StoreError extends AuditpackError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.partial });
  }
}

/**
 * A disk store holds something other than a regular file or folder at a key (a symbolic link, a
 * FIFO): evidence must be the bytes at the key itself, never whatever a link points to. Exit 1.
 */
export class IrregularObjectError extends AuditpackError {
  readonly key: string;
  readonly kind: string;
  constructor(key: string, kind: string, location: string, options: { cause?: unknown } = {}) {
    super(`${location}: ${key} is a ${kind}, not a regular file: refusing to read evidence through it`, {
      ...options,
      exitCode: ExitCode.failed,
      hint: "someone replaced a stored object; restore the original file from a backup or copy, and run `auditpack verify`",
    });
    this.key = key;
    this.kind = kind;
  }
}

/** What evidence error records and logs say about a failure. */
export interface ErrorInfo {
  code: string;
  message: string;
  requestId?: string;
  operation?: string;
}

/**
 * The one error describer: the AWS error code (or Node's `code`, or the class name), message,
 * request id and failing operation of anything thrown. Error records and scheduler logs use it.
 */
export function describeError(error: unknown): ErrorInfo {
  const e = (error ?? {}) as {
    name?: string;
    code?: unknown;
    Code?: unknown;
    message?: string;
    operation?: string;
    $metadata?: { requestId?: string };
  };
  const isAws = e.$metadata !== undefined;
  const code =
    (isAws && typeof e.Code === "string" ? e.Code : undefined) ??
    (!isAws && typeof e.code === "string" ? e.code : undefined) ??
    e.name ??
    "Error";
  const info: ErrorInfo = { code, message: e.message || String(error) };
  if (e.$metadata?.requestId) info.requestId = e.$metadata.requestId;
  if (typeof e.operation === "string") info.operation = e.operation;
  return info;
}
