/**
 * The connection layer's only knowledge of message field names (docs/codec-conventions.md):
 * builders for what we send and readers for what we receive. Kept in one module so the rest
 * of src/connection speaks in terms of "datapath id", "role", "ports", not codec fields.
 */
import { encodeMessage, type EncodableMessage, type OfMessage } from '../../protocol/codec.js';
import { OFP_VERSION, OFPMPF_REPLY_MORE, type MultipartTypeName } from '../../protocol/constants.js';
import { helloMessage, helloVersions, negotiateVersion } from '../../protocol/messages/hello/index.js';
import type { PortInfo } from './types.js';

/** A decoded message seen through the fields the connection layer reads. */
export type Incoming = OfMessage & { [field: string]: unknown };

/** ofp_controller_role (§7.3.9). */
export const ROLE = { NOCHANGE: 0, EQUAL: 1, MASTER: 2, SLAVE: 3 } as const;
export const ROLE_NAMES: Record<number, string> = { 0: 'nochange', 1: 'equal', 2: 'master', 3: 'slave' };

/** ofp_port_reason (§7.4.3). */
export const PORT_REASON = { ADD: 0, DELETE: 1, MODIFY: 2 } as const;

const VERSION_NAMES: Record<number, string> = { 1: '1.0', 2: '1.1', 3: '1.2', 4: '1.3', 5: '1.4', 6: '1.5' };
export function versionName(v: number): string {
  return VERSION_NAMES[v] ?? `0x${v.toString(16).padStart(2, '0')}`;
}

function enc(m: Record<string, unknown>): Buffer {
  return encodeMessage({ version: OFP_VERSION, ...m } as unknown as EncodableMessage);
}

export const build = {
  hello: (xid: number): Buffer => encodeMessage(helloMessage(xid, [OFP_VERSION]) as EncodableMessage),
  helloFailed: (xid: number, text: string): Buffer =>
    enc({ type: 'ERROR', xid, error_type: 0, code: 0, data: Buffer.from(text, 'ascii') }),
  echoRequest: (xid: number, data: Buffer): Buffer => enc({ type: 'ECHO_REQUEST', xid, data }),
  echoReply: (xid: number, data: Buffer): Buffer => enc({ type: 'ECHO_REPLY', xid, data }),
  featuresRequest: (xid: number): Buffer => enc({ type: 'FEATURES_REQUEST', xid }),
  roleRequest: (xid: number, role: number, generationId: bigint): Buffer =>
    enc({ type: 'ROLE_REQUEST', xid, role, generation_id: generationId }),
  multipartRequest: (xid: number, type: MultipartTypeName, body: readonly unknown[]): Buffer =>
    enc({ type: 'MULTIPART_REQUEST', xid, multipart_type: type, flags: 0, body }),
};

/** What the peer's HELLO offers and whether 1.3 is among it. */
export function readHello(m: Incoming): { ok: boolean; offered: number[]; viaBitmap: boolean } {
  const hello = m as Extract<OfMessage, { type: 'HELLO' }>;
  const viaBitmap = hello.elements.some((e) => e.type === 'VERSIONBITMAP');
  return {
    ok: negotiateVersion([OFP_VERSION], hello) === OFP_VERSION,
    offered: helloVersions(hello),
    viaBitmap,
  };
}

export const read = {
  echoData: (m: Incoming): Buffer => (Buffer.isBuffer(m.data) ? m.data : Buffer.alloc(0)),
  datapathId: (m: Incoming): bigint => m.datapath_id as bigint,
  role: (m: Incoming): { role: number; generationId: bigint } => ({
    role: m.role as number,
    generationId: m.generation_id as bigint,
  }),
  /** ERROR names; numbers where the switch sent a type or code the spec does not name. */
  errorNames: (m: Incoming): { errorType: string; errorCode: string } => ({
    errorType: (m.error_type_name as string | undefined) ?? String(m.error_type),
    errorCode: (m.code_name as string | undefined) ?? String(m.code ?? m.exp_type),
  }),
  multipart: (m: Incoming): { multipartType: string | number; more: boolean; entries: unknown[] } => ({
    multipartType: m.multipart_type as string | number,
    more: ((m.flags as number) & OFPMPF_REPLY_MORE) !== 0,
    entries: m.body as unknown[],
  }),
  portStatus: (m: Incoming): { reason: number; port: PortInfo } => ({
    reason: m.reason as number,
    port: portInfo(m.desc),
  }),
};

export function portInfo(p: unknown): PortInfo {
  const o = p as { port_no: number; name: string; hw_addr: string };
  return { port_no: o.port_no, name: o.name, hw_addr: o.hw_addr };
}

/** `SW` + 16 upper-case hex digits, OpenKilda's switch id. */
export function switchIdOf(dpid: bigint): string {
  return 'SW' + BigInt.asUintN(64, dpid).toString(16).toUpperCase().padStart(16, '0');
}
