/**
 * Reading what `ovs-ofctl ofp-print` prints: the first line's message name and xid, reserved
 * port names, and the runner used by the tests that ask a real ovs-ofctl.
 */
import { execFileSync } from 'node:child_process';

export interface OvsHeader {
  /** Our type name (MULTIPART_REPLY, EXPERIMENTER...). */
  type: string;
  /** For OFPST_* / ONFST_*: our multipart_type. */
  multipart_type?: string;
  /** For ONFT_* / ONFST_*: the ONF exp_type OVS decoded. */
  onf?: string;
  xid: number;
}

/** OVS's OFPST_ names where they differ from the spec's OFPMP_ ones. */
const OVS_STATS: Readonly<Record<string, string>> = { PORT: 'PORT_STATS' };

export function ovsHeader(text: string): OvsHeader {
  const m = /^(OFPT|OFPST|ONFT|ONFST|NXT|NXST)_(\w+)( request| reply)? \(OF1\.3\) \(xid=0x([0-9a-f]+)\):/.exec(text);
  if (!m) throw new Error(`unrecognised ovs-ofctl output: ${text.split('\n')[0]}`);
  const [, prefix, name, dir, xid] = m as unknown as [string, string, string, string | undefined, string];
  const stats = prefix.endsWith('ST');
  const multipartType = dir === ' request' ? 'MULTIPART_REQUEST' : 'MULTIPART_REPLY';
  if (prefix === 'OFPT') return { type: name, xid: parseInt(xid, 16) };
  if (prefix === 'OFPST') return { type: multipartType, multipart_type: OVS_STATS[name] ?? name, xid: parseInt(xid, 16) };
  return stats
    ? { type: multipartType, multipart_type: 'EXPERIMENTER', onf: name, xid: parseInt(xid, 16) }
    : { type: 'EXPERIMENTER', onf: name, xid: parseInt(xid, 16) };
}

/** OpenFlow 1.3 reserved port numbers by the names OVS prints. */
export const OVS_PORTS: Readonly<Record<string, number>> = {
  IN_PORT: 0xfffffff8, TABLE: 0xfffffff9, NORMAL: 0xfffffffa, FLOOD: 0xfffffffb, ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd, LOCAL: 0xfffffffe, ANY: 0xffffffff, NONE: 0xffffffff,
};
export function ovsPort(s: string): number {
  return OVS_PORTS[s] ?? Number(s);
}

/** What a real ovs-ofctl prints for these bytes; a missing ovs-ofctl fails the test, saying so. */
export function ofpPrint(bytes: Buffer): string {
  try {
    return execFileSync('ovs-ofctl', ['ofp-print', bytes.toString('hex')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('ovs-ofctl is not installed (Debian package openvswitch-common): it is the reference decoder here');
    }
    throw e;
  }
}
