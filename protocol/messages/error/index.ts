import { OFP_VERSION, OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';
import {
  OFPET_EXPERIMENTER,
  errorCodeName,
  errorNumbers,
  errorTypeName,
  type ErrorCodeName,
  type ErrorTypeName,
  type StandardErrorTypeName,
} from './codes.js';

export * from './codes.js';

/** ofp_error_msg. Names are absent when the switch sends a type or code the spec does not define. */
export interface StandardErrorMessage extends MessageBase<'ERROR'> {
  error_type: number;
  error_type_name?: ErrorTypeName;
  code: number;
  code_name?: string;
  /** For HELLO_FAILED an ASCII explanation, otherwise (at least 64 bytes of) the failed request. */
  data: Buffer;
}

/** ofp_error_experimenter_msg (error_type 0xffff). */
export interface ExperimenterErrorMessage extends MessageBase<'ERROR'> {
  error_type: typeof OFPET_EXPERIMENTER;
  error_type_name: 'EXPERIMENTER';
  exp_type: number;
  experimenter: number;
  data: Buffer;
}

export type ErrorMessage = StandardErrorMessage | ExperimenterErrorMessage;
export type Messages = ErrorMessage;

export function isExperimenterError(m: ErrorMessage): m is ExperimenterErrorMessage {
  return m.error_type === OFPET_EXPERIMENTER;
}

const error = family<ErrorMessage>({
  code: OFPT.ERROR,
  name: 'ERROR',
  decode(r) {
    const error_type = r.u16('error type');
    if (error_type === OFPET_EXPERIMENTER) {
      const exp_type = r.u16('exp_type');
      const experimenter = r.u32('experimenter');
      return { error_type, error_type_name: 'EXPERIMENTER', exp_type, experimenter, data: r.bytes(r.remaining) };
    }
    const code = r.u16('error code');
    const typeName = errorTypeName(error_type);
    const codeName = errorCodeName(error_type, code);
    return {
      error_type,
      ...(typeName === undefined ? {} : { error_type_name: typeName }),
      code,
      ...(codeName === undefined ? {} : { code_name: codeName }),
      data: r.bytes(r.remaining),
    };
  },
  encode(w, m) {
    if (isExperimenterError(m)) w.u16(OFPET_EXPERIMENTER).u16(m.exp_type).u32(m.experimenter);
    else w.u16(m.error_type).u16(m.code);
    w.bytes(m.data);
  },
});

export const families = [error] as unknown as readonly Family<MessageBase>[];

/**
 * An ERROR for the peer, named by the spec's type and code. `data` is what the spec asks for:
 * ASCII text for HELLO_FAILED, else the offending request (use `requestData`).
 */
export function errorMessage<T extends StandardErrorTypeName>(
  xid: number,
  type: T,
  code: ErrorCodeName<T>,
  data: Buffer = Buffer.alloc(0),
): StandardErrorMessage {
  const n = errorNumbers(type, code);
  return { version: OFP_VERSION, type: 'ERROR', xid, ...n, error_type_name: type, code_name: code, data };
}

/** The part of a failed request an ERROR carries: its first 64 bytes (§7.4.4). */
export function requestData(request: Buffer): Buffer {
  return Buffer.from(request.subarray(0, 64));
}

/** Whether a decoded ERROR is the named one, e.g. `isError(m, 'BAD_REQUEST', 'IS_SLAVE')`. */
export function isError<T extends StandardErrorTypeName>(m: ErrorMessage, type: T, code: ErrorCodeName<T>): boolean {
  if (isExperimenterError(m)) return false;
  const n = errorNumbers(type, code);
  return m.error_type === n.error_type && m.code === n.code;
}
