/**
 * Switch ids as operators write them → OpenKilda's form, `SW` + 16 upper-case hex digits,
 * which is also what the metrics layer looks up (batch.switchId).
 */

const UINT64_MAX = (1n << 64n) - 1n;
export const CANONICAL_SWITCH_ID = /^SW[0-9A-F]{16}$/;

export function switchIdOfDpid(dpid: bigint): string {
  return 'SW' + dpid.toString(16).toUpperCase().padStart(16, '0');
}

/**
 * `SW` + 16 hex digits, `00:00:..:01` (8 colon-separated bytes), `0x` + hex, or a decimal
 * datapath id (a string, or a number as YAML/JSON parse it). undefined if none of them.
 */
export function normaliseSwitchId(v: unknown): string | undefined {
  let dpid: bigint | undefined;
  if (typeof v === 'bigint') dpid = v;
  else if (typeof v === 'number') dpid = Number.isSafeInteger(v) ? BigInt(v) : undefined;
  else if (typeof v === 'string') {
    const t = v.trim();
    if (/^SW[0-9a-fA-F]{16}$/i.test(t)) dpid = BigInt('0x' + t.slice(2));
    else if (/^([0-9a-fA-F]{1,2}:){7}[0-9a-fA-F]{1,2}$/.test(t)) {
      dpid = t.split(':').reduce((acc, b) => (acc << 8n) | BigInt('0x' + b), 0n);
    } else if (/^0[xX][0-9a-fA-F]{1,16}$/.test(t)) dpid = BigInt(t);
    else if (/^[0-9]{1,20}$/.test(t)) dpid = BigInt(t);
  }
  if (dpid === undefined || dpid < 0n || dpid > UINT64_MAX) return undefined;
  return switchIdOfDpid(dpid);
}
