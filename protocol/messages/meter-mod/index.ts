import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { decodeMeterBands, isKnownMeterBandType, type MeterBand } from '../../structs/meter-band.js';

/** ofp_meter_mod (§7.3.4.4). State-changing: decoded only. */
export interface MeterModMessage extends MessageBase<'METER_MOD'> {
  command: number;
  flags: number;
  meter_id: number;
  bands: MeterBand[];
}

export type Messages = MeterModMessage;

/** OFPMC_ADD / MODIFY / DELETE. */
const OFPMC_MAX = 2;
const OFPMF_KBPS = 1;
const OFPMF_PKTPS = 2;
const OFPMF_ALL = 0xf; // KBPS | PKTPS | BURST | STATS

/**
 * A meter mod is a request to act on, so like a switch (OVS's ofp-print and its
 * OFPMMFC_* errors) the decoder refuses what no switch could carry out: an unknown command,
 * contradictory or unknown flags, a band type OpenFlow 1.3 does not define.
 */
export const families = [
  family<MeterModMessage>({
    code: OFPT.METER_MOD,
    name: 'METER_MOD',
    decode(r) {
      const at = r.pos;
      const command = r.u16('command');
      const flags = r.u16('flags');
      const meter_id = r.u32('meter_id');
      if (command > OFPMC_MAX) r.fail(`OFPMMFC_BAD_COMMAND: meter mod command ${command}`, at);
      if ((flags & ~OFPMF_ALL) !== 0 || ((flags & OFPMF_KBPS) !== 0 && (flags & OFPMF_PKTPS) !== 0)) {
        r.fail(`OFPMMFC_BAD_FLAGS: meter mod flags 0x${flags.toString(16)}`, at + 2);
      }
      const bandsAt = r.pos;
      const bands = decodeMeterBands(r);
      for (const b of bands) {
        if (typeof b.type === 'number' && !isKnownMeterBandType(b.type)) {
          r.fail(`OFPMMFC_BAD_BAND: meter band type ${b.type}`, bandsAt);
        }
      }
      return { command, flags, meter_id, bands };
    },
  }),
];
