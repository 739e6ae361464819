/** The protocol's typed failure: 'protocol-violation' naming the member at fault (or the coordinator). */
import { FedfinError } from '../../../common/errors.js';

/**
 * A message that breaks the protocol: malformed, replayed from another stage/round/attempt/job, from a
 * member acting as another, or an equivocating coordinator. `offender` is the member id at fault
 * ('coordinator' when a bank refuses the coordinator's payload).
 */
export class SecAggProtocolError extends FedfinError {
  constructor(
    readonly offender: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('protocol-violation', `secagg: ${offender}: ${reason}`, options);
  }
}

/** Runs `fn`, turning any non-FedfinError (a bug surfacing on hostile input) into a SecAggProtocolError. */
export function asProtocolError<T>(offender: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FedfinError) throw err;
    throw new SecAggProtocolError(offender, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
