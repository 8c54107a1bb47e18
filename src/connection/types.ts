/**
 * The contract between the connection layer (src/transport, src/connection) and the
 * scheduler (src/scheduler). The scheduler only ever sees switches through these types.
 */
import type { EventEmitter } from 'node:events';
import type { MultipartTypeName } from '../../protocol/constants.js';
import type { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';

/** What the scheduler may ask a switch for: statistics and descriptions, nothing else. */
export type StatRequestType = Extract<
  MultipartTypeName,
  'DESC' | 'FLOW' | 'AGGREGATE' | 'TABLE' | 'PORT_STATS' | 'QUEUE' | 'GROUP' | 'GROUP_DESC' |
  'GROUP_FEATURES' | 'METER' | 'METER_CONFIG' | 'METER_FEATURES' | 'PORT_DESC' | 'TABLE_FEATURES'
>;

export interface MultipartOptions {
  timeoutMs?: number;
  /**
   * FLOW only: every reply part is scanned (protocol/fast/flow-stats-scan.ts) into one
   * FlowStatsColumns, the result's `flows` (table, priority, cookie, counters, in_port, first
   * output port, as numbers), instead of the full decoding with match and instruction objects.
   * What the poller needs, with no object or bigint per entry. A part that does not decode
   * fails the request ('undecodable') and leaves nothing of itself in the columns.
   */
  lean?: boolean;
}

/** A multipart exchange, reassembled across REPLY_MORE. */
export interface MultipartResult<E = unknown> {
  /** Every body entry of every reply part, in order; empty when the entries are in `flows`. */
  entries: E[];
  /** A FLOW request asked with `lean`: the entries of every part, in order, as columns. */
  flows?: FlowStatsColumns;
  /** Date.now() when the last part arrived (the timestamp points carry). */
  arrivedAt: number;
  /** How many reply messages it took. */
  parts: number;
}

/** Thrown (as a rejected promise) by SwitchHandle.multipart. */
export interface RequestFailure extends Error {
  /**
   * 'refused': the read-only guard stopped it, or the switch's waiting queue is full.
   * 'undecodable' (added by the connection layer): a reply part arrived but did not decode;
   * the request fails at once instead of waiting for its timeout.
   */
  kind: 'error-reply' | 'timeout' | 'disconnected' | 'refused' | 'undecodable';
  /** For 'error-reply': the switch's ERROR message names, e.g. BAD_REQUEST / BAD_MULTIPART. */
  errorType?: string;
  errorCode?: string;
}

export interface PortInfo {
  port_no: number;
  name: string;
  hw_addr: string;
}

export interface SwitchHandle {
  /** `SW` + 16 upper-case hex digits of the datapath id, as OpenKilda's switchid tag. */
  readonly switchId: string;
  readonly dpid: bigint;
  /** Where it is connected (`tcp:127.0.0.1:51234`, `unix:/run/.../br0.mgmt`...). */
  readonly peer: string;
  /** From DESC at handshake; undefined until known. */
  readonly desc: { mfr_desc: string; hw_desc: string; sw_desc: string; serial_num: string; dp_desc: string } | undefined;
  /** From PORT_DESC at handshake, kept current from PORT_STATUS. */
  readonly ports: ReadonlyMap<number, PortInfo>;
  readonly connected: boolean;
  /**
   * Send one MULTIPART_REQUEST and collect the reply. `body` is the request body list as
   * the codec expects it (empty for DESC, TABLE, PORT_DESC, ...). Queued behind the switch's
   * limit of outstanding requests; rejects with RequestFailure.
   */
  multipart<E = unknown>(type: StatRequestType, body?: unknown[], opts?: MultipartOptions): Promise<MultipartResult<E>>;
}

/**
 * Owns listeners and dialers. Events:
 * - 'switch-up' (h: SwitchHandle): handshake done (HELLO, FEATURES, role, DESC, PORT_DESC).
 * - 'switch-down' (h: SwitchHandle, reason: string): connection lost; its pending requests
 *   have been failed with kind 'disconnected'.
 * - 'decode-error' (info: { switchId?: string; peer: string; error: Error }): counted by self-metrics.
 * - 'send-refused' (info: { switchId?: string; peer: string; reason: string }): added by the
 *   connection layer; the read-only guard stopped an outbound message (should never happen).
 */
export interface SwitchManager extends EventEmitter {
  switches(): SwitchHandle[];
  start(): Promise<void>;
  /** Close listeners, dialers and every connection. */
  stop(): Promise<void>;
}
