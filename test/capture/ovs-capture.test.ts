/**
 * Real sessions: ovs-ofctl talking OpenFlow 1.3 to a sandboxed Open vSwitch over loopback TCP,
 * captured by tshark (pcapng, classic pcap, and two interfaces at once: Ethernet `lo` plus
 * Linux-cooked `any`, which sees every segment more than once). `ofstats decode` must find
 * the messages tshark finds, in the same frames.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOvs, type OvsSandbox } from '../peers/ovs.js';
import { runDecodeAsync, type DecodeRun } from './paths.js';
import { startCapture, tsharkMessages } from './tshark.js';
import { seenOf, sorted } from './compare.js';
import { LINKS, disorder, ipv4Packet, ipv6Packet, splitSegments, tsharkSegments, writePcap, writePcapng, type Frame, type Seg } from './rewrite.js';

/**
 * Nothing may be reported on stderr but a stream that really ends inside a message (ovs-ofctl
 * can hang up while OVS is still sending, as dump-tables does with its ~1 MB of TABLE_FEATURES).
 */
function assertOnlyCutOff(run: DecodeRun): void {
  for (const line of run.stderr.split('\n').filter(Boolean)) assert.match(line, /cut off by the end of the stream/);
}

describe('ofstats decode on captures of a real OVS session', { timeout: 60_000, concurrency: 3 }, () => {
  let ovs: OvsSandbox;
  let dir: string;
  let port: number;
  const files = { pcapng: '', pcap: '', multi: '' };
  let segsOnce: Promise<Seg[]> | undefined;
  const segments = () => (segsOnce ??= tsharkSegments(files.pcapng));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ofstats-cap-'));
    ovs = await startOvs({ bridges: 1 });
    const br = ovs.bridges[0]!;
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', br.mgmt,
      'table=0,priority=100,cookie=0x4000000000000001,in_port=1,actions=output:2');
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flow', br.mgmt, 'table=0,priority=10,cookie=0x2,actions=drop');
    await ovs.ofctl('-O', 'OpenFlow13', 'add-group', br.mgmt, 'group_id=7,type=all,bucket=output:1,bucket=output:2');
    // Enough rules for a flow-stats reply of several kilobytes.
    const rules = Array.from({ length: 150 }, (_, i) => `table=1,priority=${i + 1},cookie=0x${(0x7000000000000000n + BigInt(i)).toString(16)},tcp,tp_dst=${i + 1},actions=output:2`);
    writeFileSync(join(dir, 'rules.txt'), rules.join('\n'));
    await ovs.ofctl('-O', 'OpenFlow13', 'add-flows', br.mgmt, join(dir, 'rules.txt'));
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
    for (const cmd of ['show', 'dump-flows', 'dump-ports', 'dump-ports-desc', 'dump-group-stats', 'dump-aggregate']) {
      await ovs.ofctl('-O', 'OpenFlow13', cmd, target);
    }
    // stop() waits until what was sent so far is in each file.
    await Promise.all(caps.map((c) => c.stop()));
  });

  after(async () => {
    await ovs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['pcapng', 'pcap'] as const) {
    test(`${kind} from tshark -i lo: same messages in the same frames as tshark`, async () => {
      const [ours, theirs] = await Promise.all([runDecodeAsync([files[kind]]), tsharkMessages(files[kind], [port])]);
      assertOnlyCutOff(ours);
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
    const [single, multi, theirs] = await Promise.all([
      runDecodeAsync([files.pcapng]),
      runDecodeAsync([files.multi]),
      tsharkMessages(files.multi, [port]),
    ]);
    assertOnlyCutOff(multi);
    // The duplicates are retransmissions to a reassembler: the message sequence per stream is unchanged.
    const key = (r: DecodeRun) => r.lines.map((l) => `${l.src}>${l.dst} ${String(l.type)} ${String(l.xid)}`).sort();
    assert.deepEqual(key(multi), key(single));
    // And each one is placed in the first frame holding its first byte, which tshark also decodes.
    const tsharkFrames = new Set(theirs.map((m) => `${m.frame} ${m.type} ${m.xid}`));
    for (const m of seenOf(multi)) assert.ok(tsharkFrames.has(`${m.frame} ${m.type} ${m.xid}`), `frame ${m.frame} type ${m.type} xid ${m.xid} not in tshark`);
  });

  /** Real capture rewritten: same TCP bytes, another encapsulation or file flavour. */
  const variants: { name: string; write(file: string, segs: Seg[]): void; ipv6?: boolean }[] = [
    { name: 'pcap, big-endian, nanosecond timestamps, Ethernet with a VLAN tag', write: (f, segs) => writePcap(f, segs.map((x) => ({ linkType: 1, data: LINKS.ethernetVlan.wrap(ipv4Packet(x)) })), { bigEndian: true, nanos: true }) },
    { name: 'pcap, raw IPv4 (LINKTYPE_RAW)', write: (f, segs) => writePcap(f, segs.map((x) => ({ linkType: 101, data: ipv4Packet(x) }))) },
    { name: 'pcap, raw IPv6 (LINKTYPE_RAW)', ipv6: true, write: (f, segs) => writePcap(f, segs.map((x) => ({ linkType: 101, data: ipv6Packet(x) }))) },
    { name: 'pcap, BSD loopback (LINKTYPE_NULL)', write: (f, segs) => writePcap(f, segs.map((x) => ({ linkType: 0, data: LINKS.null.wrap(ipv4Packet(x)) }))) },
    { name: 'pcap, Linux cooked v1 (SLL)', write: (f, segs) => writePcap(f, segs.map((x) => ({ linkType: 113, data: LINKS.sll.wrap(ipv4Packet(x)) }))) },
    {
      name: 'pcapng, three interfaces (Ethernet, SLL2, raw) taking turns, simple and enhanced packet blocks',
      write: (f, segs) => {
        const kinds = [LINKS.ethernet, LINKS.sll2, LINKS.raw];
        const frames: Frame[] = segs.map((x, i) => ({ linkType: kinds[i % 3]!.linkType, iface: i % 3, data: kinds[i % 3]!.wrap(ipv4Packet(x)) }));
        writePcapng(f, kinds.map((k) => k.linkType), frames, { simple: true });
      },
    },
  ];
  for (const v of variants) {
    test(`rewritten real capture: ${v.name}: same messages as tshark finds in it`, async () => {
      const segs = await segments();
      const file = join(dir, `variant-${variants.indexOf(v)}.cap`);
      v.write(file, segs);
      const [ours, theirs] = await Promise.all([runDecodeAsync([file]), tsharkMessages(file, [port])]);
      assertOnlyCutOff(ours);
      assert.ok(theirs.length >= 20);
      assert.deepEqual(sorted(seenOf(ours)), sorted(theirs));
      if (v.ipv6) assert.match(String(ours.lines[0]!.src), /^\[2001:db8::7f00:1\]:\d+$/);
    });
  }

  test('rewritten real capture: segments cut to 300 bytes, reordered, duplicated, overlapping: each message once, at the first frame holding its first byte', async () => {
    const orig = await segments();
    const rewritten = disorder(splitSegments(orig, 300));
    const file = join(dir, 'disordered.pcap');
    writePcap(file, rewritten.map((x) => ({ linkType: 1, data: LINKS.ethernet.wrap(ipv4Packet(x)) })));
    // Expected, from tshark's reading of the original: each message's first byte (ISN + 1 +
    // the lengths of the messages before it), then the first rewritten frame holding that byte.
    const [theirs, ours] = await Promise.all([tsharkMessages(files.pcapng, [port]), runDecodeAsync([file])]);
    const isn = new Map<string, number>();
    for (const x of orig) if (x.flags & 0x02) isn.set(`${x.src}:${x.sport}>${x.dst}:${x.dport}`, x.seq);
    const offset = new Map<string, number>();
    const expected = theirs.map((m) => {
      const key = `${m.src}>${m.dst}`;
      const at = offset.get(key) ?? 0;
      offset.set(key, at + m.length);
      const first = (isn.get(key)! + 1 + at) >>> 0;
      const frame = rewritten.findIndex((x) => `${x.src}:${x.sport}>${x.dst}:${x.dport}` === key && ((first - x.seq) >>> 0) < x.payload.length) + 1;
      return `${m.src}>${m.dst} ${frame} ${m.type} ${m.xid}`;
    });
    assertOnlyCutOff(ours);
    const got = seenOf(ours).map((m, i) => `${String(ours.lines[i]!.src)}>${String(ours.lines[i]!.dst)} ${m.frame} ${m.type} ${m.xid}`);
    assert.ok(rewritten.length > orig.length * 2, 'the rewrite did split and duplicate');
    assert.deepEqual([...got].sort(), [...expected].sort());
  });
});
