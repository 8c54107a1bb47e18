/**
 * METER stats → meter metrics (../shared/reference/openkilda-stats.md §3, tags as the seed
 * lists them). The value is the first band's counters: what the meter dropped above its rate,
 * not what entered it.
 * - known to the registry: `flow.meter.*` (plain flow or Y sub-flow), `yflow.meter.shared.*`,
 *   `yflow.meter.ypoint.*`, `haflow.meter.*`, `haflow.meter.ypoint.*`;
 * - unknown, ids 1..31 (the switch's service meters): `switch.flow.system.meter.*` with the
 *   service cookie `0x8000000000000000 | id` as cookieHex;
 * - unknown otherwise: `flow.meter.*` with flowid, direction and cookie `unknown` (and no
 *   is_y_flow_subflow, which nothing tells: OpenKilda's own tag set for a cache miss).
 */
import type { MeterInfo } from '../registry/types.js';
import { counter, packetsBytesBits, type Counters } from './counters.js';
import { cookieHex, cookieSigned, decodeCookie } from './cookie.js';
import type { Family, Mapping } from './engine.js';

/** ofp_meter_stats as the codec decodes it (only what the metrics read). */
export interface MeterStatsEntry {
  meter_id: number;
  band_stats?: readonly { packet_band_count: bigint; byte_band_count: bigint }[];
}

export const METER_COUNTERS: Counters<MeterStatsEntry> = packetsBytesBits(
  (e) => counter(e.band_stats?.[0]?.packet_band_count),
  (e) => counter(e.band_stats?.[0]?.byte_band_count),
);

const SERVICE_FLAG = 0x8000_0000_0000_0000n;
const MAX_SERVICE_METER = 31;

export function isServiceMeter(id: number): boolean {
  return id >= 1 && id <= MAX_SERVICE_METER;
}

export interface MeterCtx {
  switchId: string;
  meterId: number;
  meter: MeterInfo | undefined;
}

const UNKNOWN = 'unknown';
const kind = (k: MeterInfo['kind']) => (x: MeterCtx) => x.meter?.kind === k;
// Object.assign(base(x), {...}), not `{ ...base(x), k }`: the spread gives every tags object its own
// hidden class (see flow.ts).
const base = (x: MeterCtx): Record<string, string> => ({ switchid: x.switchId, meterid: String(x.meterId) });

/** The flow's direction: the registry's, else its rule cookie's direction bits. */
function direction(m: MeterInfo): string {
  if (m.direction !== undefined) return m.direction;
  const d = m.cookie === undefined ? undefined : decodeCookie(m.cookie).direction;
  return d === 'forward' || d === 'reverse' ? d : UNKNOWN;
}

const cookie = (m: MeterInfo) => (m.cookie === undefined ? UNKNOWN : cookieSigned(m.cookie));

function flowMeterTags(x: MeterCtx): Record<string, string> {
  const m = x.meter;
  if (m === undefined) return Object.assign(base(x), { flowid: UNKNOWN, direction: UNKNOWN, cookie: UNKNOWN });
  const ySub = m.yFlowId !== undefined;
  const tags: Record<string, string> = Object.assign(base(x), {
    is_y_flow_subflow: String(ySub), flowid: m.flowId ?? UNKNOWN, direction: direction(m), cookie: cookie(m),
  });
  if (ySub) tags.y_flow_id = m.yFlowId!;
  return tags;
}

export const METER_FAMILIES: readonly Family<MeterCtx>[] = [
  {
    base: 'switch.flow.system.meter',
    when: (x) => x.meter === undefined && isServiceMeter(x.meterId),
    tags: (x) => Object.assign(base(x), { cookieHex: cookieHex(SERVICE_FLAG | BigInt(x.meterId)) }),
  },
  {
    base: 'flow.meter',
    when: (x) => (x.meter === undefined ? !isServiceMeter(x.meterId) : x.meter.kind === 'flow'),
    tags: flowMeterTags,
  },
  { base: 'yflow.meter.shared', when: kind('yflow-shared'), tags: (x) => Object.assign(base(x), { y_flow_id: x.meter?.yFlowId ?? UNKNOWN }) },
  { base: 'yflow.meter.ypoint', when: kind('yflow-ypoint'), tags: (x) => Object.assign(base(x), { y_flow_id: x.meter?.yFlowId ?? UNKNOWN }) },
  {
    base: 'haflow.meter',
    when: kind('haflow'),
    tags: (x) => Object.assign(base(x), {
      ha_flow_id: x.meter?.haFlowId ?? UNKNOWN,
      flowid: x.meter?.flowId ?? UNKNOWN,
      direction: direction(x.meter!),
      cookie: cookie(x.meter!),
    }),
  },
  { base: 'haflow.meter.ypoint', when: kind('haflow-ypoint'), tags: (x) => Object.assign(base(x), { ha_flow_id: x.meter?.haFlowId ?? UNKNOWN }) },
];

export const METER_MAPPING: Mapping<MeterStatsEntry, undefined, MeterInfo, MeterCtx> = {
  counters: METER_COUNTERS,
  families: METER_FAMILIES,
  key: (e) => e.meter_id,
  lookup: (registry, switchId, key) => registry.meter(switchId, key as number),
  context: (switchId, key, _info, meter) => ({ switchId, meterId: key as number, meter }),
};
