/**
 * Errors as containerd's errdefs classes them, from gRPC status codes, and the
 * error types that carry an exit code to cmd/main.ts.
 */
import { status as Status } from '@grpc/grpc-js';

/** containerd's error classes (errdefs), keyed by the gRPC code the daemon sends. */
export const ERROR_CLASS: Partial<Record<Status, string>> = {
  [Status.NOT_FOUND]: 'not found',
  [Status.ALREADY_EXISTS]: 'already exists',
  [Status.FAILED_PRECONDITION]: 'failed precondition',
  [Status.INVALID_ARGUMENT]: 'invalid argument',
  [Status.UNAVAILABLE]: 'unavailable',
  [Status.UNIMPLEMENTED]: 'not implemented',
  [Status.PERMISSION_DENIED]: 'permission denied',
  [Status.RESOURCE_EXHAUSTED]: 'resource exhausted',
  [Status.DEADLINE_EXCEEDED]: 'deadline exceeded',
  [Status.CANCELLED]: 'cancelled',
  [Status.ABORTED]: 'aborted',
  [Status.OUT_OF_RANGE]: 'out of range',
  [Status.UNAUTHENTICATED]: 'unauthenticated',
  [Status.DATA_LOSS]: 'data loss',
  [Status.INTERNAL]: 'internal',
  [Status.UNKNOWN]: 'unknown',
};

/** An error from a containerd RPC, keeping the gRPC code and the daemon's message. */
export class RpcError extends Error {
  constructor(
    readonly code: Status,
    readonly details: string,
    readonly method: string,
  ) {
    super(details || ERROR_CLASS[code] || `rpc error code ${code}`);
    this.name = 'RpcError';
  }

  /** The errdefs class name, e.g. "not found". */
  get errorClass(): string {
    return ERROR_CLASS[this.code] ?? 'unknown';
  }
}

/** True if err is an RpcError with one of the given codes. */
export function isCode(err: unknown, ...codes: Status[]): err is RpcError {
  return err instanceof RpcError && codes.includes(err.code);
}

export const isNotFound = (err: unknown): err is RpcError => isCode(err, Status.NOT_FOUND);
export const isAlreadyExists = (err: unknown): err is RpcError => isCode(err, Status.ALREADY_EXISTS);
export const isUnimplemented = (err: unknown): err is RpcError => isCode(err, Status.UNIMPLEMENTED);

/** A command's own failure that ends the process with `code` (and a message unless empty). */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

/** Bad command-line input: reported like ctr ("<what>: invalid argument") with exit 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Prefix an error's message with what was being done, keeping its class. */
export function wrap(err: unknown, context: string): Error {
  if (err instanceof Error) {
    err.message = `${context}: ${err.message}`;
    return err;
  }
  return new Error(`${context}: ${String(err)}`);
}
