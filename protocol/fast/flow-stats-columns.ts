import { fromHalves } from '../wire/halves.js';

/**
 * ofp_flow_stats entries as columns of numbers: what the poller's lean FLOW path fills from a
 * reply without making one object or one bigint per entry. 64-bit fields are split into their
 * high and low 32 bits (exact; join them with BigInt only where a bigint is really needed).
 * in_port / out_port are 0 when the rule has none (port 0 is not a valid OpenFlow port).
 *
 * Grows by doubling; `length` is the number of entries held. One object collects every part
 * of a multipart reply.
 */
export class FlowStatsColumns {
  length = 0;
  tableId: Uint8Array;
  priority: Uint16Array;
  cookieHi: Uint32Array;
  cookieLo: Uint32Array;
  packetsHi: Uint32Array;
  packetsLo: Uint32Array;
  bytesHi: Uint32Array;
  bytesLo: Uint32Array;
  inPort: Uint32Array;
  outPort: Uint32Array;

  constructor(capacity = 256) {
    const n = Math.max(1, capacity | 0);
    this.tableId = new Uint8Array(n);
    this.priority = new Uint16Array(n);
    this.cookieHi = new Uint32Array(n);
    this.cookieLo = new Uint32Array(n);
    this.packetsHi = new Uint32Array(n);
    this.packetsLo = new Uint32Array(n);
    this.bytesHi = new Uint32Array(n);
    this.bytesLo = new Uint32Array(n);
    this.inPort = new Uint32Array(n);
    this.outPort = new Uint32Array(n);
  }

  get capacity(): number {
    return this.cookieHi.length;
  }

  /** Room for `more` entries past `length`. */
  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.capacity) return;
    let cap = this.capacity * 2;
    while (cap < need) cap *= 2;
    this.tableId = grow(this.tableId, cap);
    this.priority = grow(this.priority, cap);
    this.cookieHi = grow(this.cookieHi, cap);
    this.cookieLo = grow(this.cookieLo, cap);
    this.packetsHi = grow(this.packetsHi, cap);
    this.packetsLo = grow(this.packetsLo, cap);
    this.bytesHi = grow(this.bytesHi, cap);
    this.bytesLo = grow(this.bytesLo, cap);
    this.inPort = grow(this.inPort, cap);
    this.outPort = grow(this.outPort, cap);
  }

  /** Forget entries past n (a part that failed to decode is taken back whole). */
  truncate(n: number): void {
    if (n < this.length) this.length = Math.max(0, n);
  }

  cookie(i: number): bigint {
    return fromHalves(this.cookieHi[i]!, this.cookieLo[i]!);
  }

  packets(i: number): bigint {
    return fromHalves(this.packetsHi[i]!, this.packetsLo[i]!);
  }

  bytes(i: number): bigint {
    return fromHalves(this.bytesHi[i]!, this.bytesLo[i]!);
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
