/**
 * Real sessions: ovs-ofctl talking OpenFlow 1.3 to a sandboxed Open vSwitch over loopback TCP,
 * captured by tshark (pcapng, classic pcap, and two interfaces at once: Ethernet `lo` plus
 * Linux-cooked `any`, which sees every segment more than once). `ofstats decode` must find
 * the messages tshark finds, in the same frames.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OFPT } from '../../protocol/constants.js';
import { startOvs, type OvsSandbox } from '../peers/ovs.js';
import { runDecode, type DecodeRun } from './paths.js';
import { startCapture, tsharkMessages, type TsharkMessage } from './tshark.js';

interface Seen {
  frame: number;
  version: number;
  type: number;
  xid: number;
}

/** Our output lines (messages and error objects alike) in tshark's terms. */
export function seenOf(run: DecodeRun): Seen[] {
  return run.lines.map((l) => {
    const hexVersion = typeof l.hex === 'string' ? parseInt(l.hex.slice(0, 2), 16) : undefined;
    const t = l.type;
    return {
      frame: l.frame as number,
      version: (l.version as number | undefined) ?? hexVersion ?? -1,
      type: typeof t === 'string' ? OFPT[t as keyof typeof OFPT] : (t as number),
      xid: l.xid as number,
    };
  });
}

export const byPlace = (a: Seen, b: Seen) => a.frame - b.frame || a.type - b.type || a.xid - b.xid;
export const sorted = (x: (Seen | TsharkMessage)[]): Seen[] =>
  x.map(({ frame, version, type, xid }) => ({ frame, version, type, xid })).sort(byPlace);

/**
 * ovs-ofctl dump-tables hangs up while OVS is still sending its ~1 MB of TABLE_FEATURES
 * replies, so one stream really ends inside a message; nothing else may be reported.
 */
function assertOnlyCutOff(run: DecodeRun): void {
  for (const line of run.stderr.split('\n').filter(Boolean)) assert.match(line, /cut off by the end of the stream/);
}

describe('ofstats decode on captures of a real OVS session', { timeout: 60_000 }, () => {
  let ovs: OvsSandbox;
  let dir: string;
  let port: number;
  const files = { pcapng: '', pcap: '', multi: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ofstats-cap-'));
    ovs = await startOvs({ bridges: 1 });
    const br = ovs.bridges[0]!;
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', br.mgmt,
      'table=0,priority=100,cookie=0x4000000000000001,in_port=1,actions=output:2');
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', br.mgmt, 'table=0,priority=10,cookie=0x2,actions=drop');
    await ovs.ofctl('-O', 'OpenFlow13', 'add-group', br.mgmt, 'group_id=7,type=all,bucket=output:1,bucket=output:2');
    port = await ovs.listen('br0');
    files.pcapng = join(dir, 'lo.pcapng');
    files.pcap = join(dir, 'lo.pcap');
    files.multi = join(dir, 'lo-any.pcapng');
    const filter = `tcp port ${port}`;
    const caps = await Promise.all([
      startCapture({ ifaces: ['lo'], filter, file: files.pcapng }),
      startCapture({ ifaces: ['lo'], filter, file: files.pcap, format: 'pcap' }),
      startCapture({ ifaces: ['lo', 'any'], filter, file: files.multi }),
    ]);
    const target = `tcp:127.0.0.1:${port}`;
    for (const cmd of ['show', 'dump-flows', 'dump-ports', 'dump-ports-desc', 'dump-tables', 'dump-group-stats', 'dump-aggregate']) {
      await ovs.ofctl('-O', 'OpenFlow13', cmd, target);
    }
    await sleep(300); // let the last ACKs and FINs reach the captures
    await Promise.all(caps.map((c) => c.stop()));
  });

  after(async () => {
    await ovs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['pcapng', 'pcap'] as const) {
    test(`${kind} from tshark -i lo: same messages in the same frames as tshark`, async () => {
      const ours = runDecode([files[kind]]);
      assertOnlyCutOff(ours);
      const theirs = await tsharkMessages(files[kind], [port]);
      assert.ok(theirs.length >= 20, `tshark found only ${theirs.length} messages`);
      assert.deepEqual(sorted(seenOf(ours)), sorted(theirs));
      for (const l of ours.lines) {
        const [lo, hi] = [l.src, l.dst].sort() as string[];
        assert.match(lo!, /^127\.0\.0\.1:\d+$/);
        assert.ok([lo, hi].includes(`127.0.0.1:${port}`), `${lo} ${hi} is not a session with the switch`);
      }
      const types = new Set(ours.lines.map((l) => l.type));
      for (const t of ['HELLO', 'FEATURES_REQUEST', 'FEATURES_REPLY', 'MULTIPART_REQUEST', 'MULTIPART_REPLY']) {
        assert.ok(types.has(t), `no ${t} decoded`);
      }
    });
  }

  test('pcapng with two interfaces (lo Ethernet, any Linux-cooked) and every segment seen twice: each message once', async () => {
    const single = runDecode([files.pcapng]);
    const multi = runDecode([files.multi]);
    assertOnlyCutOff(multi);
    // The duplicates are retransmissions to a reassembler: the message sequence per stream is unchanged.
    const key = (r: DecodeRun) => r.lines.map((l) => `${l.src}>${l.dst} ${String(l.type)} ${String(l.xid)}`).sort();
    assert.deepEqual(key(multi), key(single));
    // And each one is placed in the first frame holding its first byte, which tshark also decodes.
    const theirs = await tsharkMessages(files.multi, [port]);
    const tsharkFrames = new Set(theirs.map((m) => `${m.frame} ${m.type} ${m.xid}`));
    for (const m of seenOf(multi)) assert.ok(tsharkFrames.has(`${m.frame} ${m.type} ${m.xid}`), `frame ${m.frame} type ${m.type} xid ${m.xid} not in tshark`);
  });
});
