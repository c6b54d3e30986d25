/** Error helpers the container code shares. */
import { status as Status } from '@grpc/grpc-js';
import { isCode } from '../errdefs';

export { ExitError, isNotFound } from '../errdefs';
/** True for FailedPrecondition (e.g. killing a process that already exited). */
export const isFailedPrecondition = (err: unknown) => isCode(err, Status.FAILED_PRECONDITION);
