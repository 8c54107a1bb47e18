/** PORT_STATS → `switch.*` port metrics (tags switchid, port). */
import { field, type Counters } from './counters.js';
import type { Family, Mapping } from './engine.js';
import type { PortStats } from '../../protocol/messages/multipart/port-stats/reply.js';

/** The parts of ofp_port_stats (the codec's PortStats) the metrics read. */
export type PortStatsEntry = Omit<PortStats, 'duration_sec' | 'duration_nsec'>;

const PORT_FIELDS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped', 'rx_errors', 'tx_errors',
  'rx_frame_err', 'rx_over_err', 'rx_crc_err', 'collisions',
] as const satisfies readonly (keyof PortStatsEntry)[];
const src = (f: (typeof PORT_FIELDS)[number]): number => PORT_FIELDS.indexOf(f);

export const PORT_COUNTERS: Counters<PortStatsEntry> = {
  sources: PORT_FIELDS.map((f) => field<PortStatsEntry>(f)),
  specs: [
    ['rx-packets', src('rx_packets')],
    ['tx-packets', src('tx_packets')],
    ['rx-bytes', src('rx_bytes')],
    ['tx-bytes', src('tx_bytes')],
    ['rx-bits', src('rx_bytes'), 'bits'],
    ['tx-bits', src('tx_bytes'), 'bits'],
    ['rx-dropped', src('rx_dropped')],
    ['tx-dropped', src('tx_dropped')],
    ['rx-errors', src('rx_errors')],
    ['tx-errors', src('tx_errors')],
    ['rx-frame-error', src('rx_frame_err')],
    ['rx-over-error', src('rx_over_err')],
    ['rx-crc-error', src('rx_crc_err')],
    ['collisions', src('collisions')],
  ],
};

interface PortCtx { switchId: string; port: number }

const PORT_FAMILIES: readonly Family<PortCtx>[] = [
  { base: 'switch', when: () => true, tags: (x) => ({ switchid: x.switchId, port: String(x.port) }) },
];

export const PORT_MAPPING: Mapping<PortStatsEntry, undefined, undefined, PortCtx> = {
  counters: PORT_COUNTERS,
  families: PORT_FAMILIES,
  key: (e) => e.port_no,
  context: (switchId, key) => ({ switchId, port: key as number }),
};
