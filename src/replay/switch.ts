/**
 * One simulated switch speaking OpenFlow 1.3 on a socket: HELLO, FEATURES (its own datapath
 * id), ROLE, ECHO, BARRIER computed; everything else answered from the recording; a request
 * never recorded gets the ERROR a switch without that feature would give.
 */
import type { Socket } from 'node:net';
import { OFP_VERSION, OFPT } from '../../protocol/constants.js';
import { decodeMessage, encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { Framer } from '../../protocol/framer.js';
import { echoReply, type EchoRequestMessage } from '../../protocol/messages/echo/index.js';
import { errorMessage, requestData, type ErrorMessage } from '../../protocol/messages/error/index.js';
import { helloMessage, negotiateVersion, type HelloMessage } from '../../protocol/messages/hello/index.js';
import { OFPCR_ROLE_EQUAL, OFPCR_ROLE_MASTER, OFPCR_ROLE_SLAVE, type RoleRequestMessage } from '../../protocol/messages/role/index.js';
import type { Log } from '../transport/link.js';
import { bodyOf, hasMoreParts, headerWithXid, isMultipart, messageTypeOf, multipartTypeOf, peekHeader } from '../../protocol/raw.js';
import { multipartName, requestKey } from './keys.js';
import type { ReplyStore } from './store.js';

/** The identity and role state of one simulated switch, shared by its connections. */
export class SimSwitch {
  role = OFPCR_ROLE_EQUAL;
  generation: bigint | undefined;
  readonly switchId: string;

  constructor(
    readonly index: number,
    readonly dpid: bigint,
    /** FEATURES_REPLY with this switch's datapath id, xid 0. */
    readonly features: Buffer,
    readonly store: ReplyStore,
  ) {
    this.switchId = dpid.toString(16).padStart(16, '0');
  }
}

export interface ConnectionOptions {
  /** The switch's own ECHO_REQUESTs; 0 for none. */
  echoIntervalMs: number;
  log: Log;
}

/** The errors a switch without a feature answers with, by the spec's names. */
const ERR = {
  badVersion: (xid: number, req: Buffer) => errorMessage(xid, 'BAD_REQUEST', 'BAD_VERSION', requestData(req)),
  badType: (xid: number, req: Buffer) => errorMessage(xid, 'BAD_REQUEST', 'BAD_TYPE', requestData(req)),
  badMultipart: (xid: number, req: Buffer) => errorMessage(xid, 'BAD_REQUEST', 'BAD_MULTIPART', requestData(req)),
  badLen: (xid: number, req: Buffer) => errorMessage(xid, 'BAD_REQUEST', 'BAD_LEN', requestData(req)),
  stale: (xid: number, req: Buffer) => errorMessage(xid, 'ROLE_REQUEST_FAILED', 'STALE', requestData(req)),
} as const;

/**
 * The recorded ERROR again (type and code, or an experimenter error's exp_type and
 * experimenter), now for this request: its xid, and its first 64 bytes as data.
 */
function recordedError(recorded: Buffer, xid: number, request: Buffer): ErrorMessage {
  return { ...(decodeMessage(recorded) as ErrorMessage), xid, data: requestData(request) };
}

/**
 * Serve one connection until it closes. The socket is the controller's (it dialled us, or we
 * dialled it); nothing here closes it except a peer that cannot speak OpenFlow 1.3.
 */
export function serveConnection(socket: Socket, sw: SimSwitch, opts: ConnectionOptions): void {
  const framer = new Framer();
  const log = opts.log;
  let helloSeen = false;
  let ownXid = 0x70000000 + sw.index * 4096;
  let echoTimer: NodeJS.Timeout | undefined;

  const write = (b: Buffer): void => {
    if (!socket.destroyed) socket.write(b);
  };
  /** Recorded bytes with the xid patched in a fresh 8-byte header: the shared body is never written to. */
  const sendParts = (parts: readonly Buffer[], xid: number): void => {
    socket.cork();
    for (const p of parts) {
      write(headerWithXid(p, xid));
      const body = bodyOf(p);
      if (body.length > 0) write(body);
    }
    socket.uncork();
  };
  const send = (m: EncodableMessage): void => write(encodeMessage(m));
  const fail = (req: Buffer, error: (xid: number, req: Buffer) => ErrorMessage): void => send(error(peekHeader(req).xid, req));

  write(encodeMessage(helloMessage(ownXid++)));

  if (opts.echoIntervalMs > 0) {
    echoTimer = setInterval(() => {
      write(encodeMessage({ version: OFP_VERSION, type: 'ECHO_REQUEST', xid: ownXid++, data: Buffer.alloc(0) }));
    }, opts.echoIntervalMs);
    echoTimer.unref();
  }
  socket.on('close', () => clearInterval(echoTimer));
  socket.on('error', (e) => log.debug({ switchId: sw.switchId, err: e.message }, 'connection error'));

  const onHello = (msg: Buffer): void => {
    helloSeen = true;
    let version: number | undefined;
    try {
      version = negotiateVersion([OFP_VERSION], decodeMessage(msg) as HelloMessage);
    } catch {
      version = undefined;
    }
    if (version === undefined) {
      const text = Buffer.from('replayed switch speaks OpenFlow 1.3 only');
      send(errorMessage(peekHeader(msg).xid, 'HELLO_FAILED', 'INCOMPATIBLE', text));
      socket.end();
    }
  };

  const onRole = (msg: Buffer): void => {
    const recorded = sw.store.lookup(String(OFPT.ROLE_REQUEST), msg);
    if (recorded?.kind === 'error') return send(recordedError(recorded.error, peekHeader(msg).xid, msg));
    const req = decodeMessage(msg) as RoleRequestMessage;
    if (req.role === OFPCR_ROLE_MASTER || req.role === OFPCR_ROLE_SLAVE) {
      // §6.3.7: a generation id older than the last one seen (wrap-around distance) is stale.
      if (sw.generation !== undefined && BigInt.asIntN(64, req.generation_id - sw.generation) < 0n) return fail(msg, ERR.stale);
      sw.generation = req.generation_id;
      sw.role = req.role;
    } else if (req.role === OFPCR_ROLE_EQUAL) {
      sw.role = req.role;
    }
    send({ version: OFP_VERSION, type: 'ROLE_REPLY', xid: req.xid, role: sw.role, generation_id: sw.generation ?? 0n });
  };

  const onRecorded = (msg: Buffer, type: number, xid: number): void => {
    const key = requestKey(msg);
    const got = key === undefined ? undefined : sw.store.lookup(key, msg);
    if (got?.kind === 'reply') return sendParts(got.parts, xid);
    if (got?.kind === 'error') return send(recordedError(got.error, xid, msg));
    if (type === OFPT.GET_CONFIG_REQUEST) {
      return send({ version: OFP_VERSION, type: 'GET_CONFIG_REPLY', xid, flags: 0, miss_send_len: 128 });
    }
    if (type === OFPT.MULTIPART_REQUEST) {
      log.debug({ switchId: sw.switchId, multipart: multipartName(multipartTypeOf(msg)) }, 'multipart type not in the capture: BAD_MULTIPART');
      return fail(msg, ERR.badMultipart);
    }
    log.debug({ switchId: sw.switchId, type }, 'request type not in the capture: BAD_TYPE');
    fail(msg, ERR.badType);
  };

  const handle = (msg: Buffer): void => {
    const { version, type, xid } = peekHeader(msg);
    if (type === OFPT.HELLO) return helloSeen ? undefined : onHello(msg);
    if (version !== OFP_VERSION) return fail(msg, ERR.badVersion);
    switch (type) {
      case OFPT.ECHO_REQUEST:
        return send(echoReply(decodeMessage(msg) as EchoRequestMessage));
      case OFPT.ECHO_REPLY:
      case OFPT.ERROR:
        return;
      case OFPT.FEATURES_REQUEST:
        return sendParts([sw.features], xid);
      case OFPT.BARRIER_REQUEST:
        return send({ version: OFP_VERSION, type: 'BARRIER_REPLY', xid });
      case OFPT.ROLE_REQUEST:
        return onRole(msg);
      case OFPT.MULTIPART_REQUEST:
        if (!isMultipart(msg)) return fail(msg, ERR.badLen);
        // Only the last part of a multi-part request is answered (for the whole request).
        if (hasMoreParts(msg)) return;
        return onRecorded(msg, type, xid);
      default:
        return onRecorded(msg, type, xid);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    let msgs: Buffer[];
    try {
      msgs = framer.push(chunk);
    } catch (e) {
      log.warn({ switchId: sw.switchId, err: (e as Error).message }, 'controller sent an unframeable stream: closing');
      socket.destroy();
      return;
    }
    for (const m of msgs) {
      try {
        handle(m);
      } catch (e) {
        if (e instanceof OfDecodeError) {
          fail(m, ERR.badLen);
          continue;
        }
        // A bug must not take down every other simulated switch in the process: drop this connection only.
        log.error({ switchId: sw.switchId, type: messageTypeOf(m), err: (e as Error).message }, 'cannot answer request: closing the connection');
        socket.destroy();
        return;
      }
    }
  });
}
