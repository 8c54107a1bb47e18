/** tshark as a capture tool and as the independent decoder the capture tests compare against. */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/wait.js';
import { atExit } from '../support/cleanup.js';

export interface Capture {
  /**
   * Stop capturing and wait until the file is complete: a marker datagram sent now is awaited
   * in the file on every interface first, so every packet sent before stop() is in the file.
   */
  stop(): Promise<void>;
}

/** Whether each interface (pcapng: by interface id; pcap: the one) has a packet holding `marker`. */
function markerSeen(file: string, marker: Buffer, ifaces: number): boolean {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return false;
  }
  if (b.length < 24) return false;
  const seen = new Set<number>();
  if (b.readUInt32LE(0) !== 0x0a0d0d0a) return ifaces === 1 && b.indexOf(marker, 24) >= 0; // classic pcap: one interface
  const le = b.readUInt32LE(8) === 0x1a2b3c4d;
  const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  // Blocks: type, total length, body; an enhanced packet block (6) names its interface first.
  for (let at = 0; at + 12 <= b.length;) {
    const type = u32(at);
    const len = u32(at + 4);
    if (len < 12 || at + len > b.length) break; // the block being written
    if (type === 6 && b.subarray(at + 28, at + len).indexOf(marker) >= 0) seen.add(u32(at + 8));
    at += len;
  }
  return seen.size >= ifaces;
}

/**
 * Start `tshark -i IFACE -f FILTER -w FILE` (one -i and -f per interface: tshark applies an -f
 * to the -i before it only) and resolve once every interface really writes to the file:
 * tshark says "Capturing on" before dumpcap is done setting up, so UDP datagrams to a port
 * nobody uses are sent (and captured: `or udp dst port N` is added to the filter; OpenFlow
 * decoders ignore them) until each interface's copy is in the file. `format` pcap writes
 * classic pcap. Each interface gets a 64 MB kernel buffer: a 1 MB reply burst must not
 * overflow it (and make the capture lose segments) while dumpcap waits for a CPU.
 */
export async function startCapture(opts: { ifaces: string[]; filter: string; file: string; format?: 'pcap' | 'pcapng' }): Promise<Capture> {
  const probePort = 40000 + Math.floor(Math.random() * 20000);
  const filter = `(${opts.filter}) or udp dst port ${probePort}`;
  rmSync(opts.file, { force: true }); // a previous file's markers would count
  const args = ['-q', ...opts.ifaces.flatMap((i) => ['-i', i, '-B', '64', '-f', filter]), '-w', opts.file];
  if (opts.format === 'pcap') args.push('-F', 'pcap');
  // Its own process group: tshark runs dumpcap, which outlives a killed tshark unless the group goes.
  const child: ChildProcess = spawn('tshark', args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  let dead = false;
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.once('exit', () => {
    dead = true;
    live.delete(child);
  });
  const kill = async (): Promise<void> => {
    if (!dead) child.kill('SIGINT');
    await exited;
  };
  /** Sends marker datagrams until every interface has one in the file. */
  const sync = async (what: string): Promise<void> => {
    const marker = Buffer.from(`ofstats-capture-sync-${process.pid}-${probePort}-${Math.random()}`);
    const sock = createSocket('udp4');
    try {
      await waitFor(`${what} (tshark ${args.join(' ')}: ${err})`, () => {
        if (dead) throw new Error(`tshark exited: ${err}`);
        if (markerSeen(opts.file, marker, opts.ifaces.length)) return true;
        sock.send(marker, probePort, '127.0.0.1');
        return false;
      }, 20_000, 50);
    } finally {
      sock.close();
    }
  };
  try {
    await sync('tshark to capture on every interface');
  } catch (e) {
    await kill();
    throw e;
  }
  return {
    async stop() {
      try {
        await sync('the last packets to reach the capture file');
      } finally {
        await kill();
      }
    },
  };
}

const live = new Set<ChildProcess>();
atExit(() => {
  for (const c of live) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

export interface TsharkMessage {
  frame: number;
  /** "ip:port" of the sender and receiver. */
  src: string;
  dst: string;
  length: number;
  version: number;
  type: number;
  xid: number;
}

function tsharkJson(args: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 1 << 30, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tshark ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout.trim() === '' ? [] : (JSON.parse(stdout) as unknown[]));
    });
  });
}

/**
 * The OpenFlow messages tshark finds in a capture, decoding `ports` as OpenFlow: one entry per
 * top-level message (a message quoted inside an ERROR is not counted), at the frame holding
 * its first byte. `prefs` are extra `-o name:value` settings.
 */
export async function tsharkMessages(file: string, ports: number[], prefs: string[] = []): Promise<TsharkMessage[]> {
  const args = ['-r', file, ...ports.flatMap((p) => ['-d', `tcp.port==${p},openflow`]), ...prefs.flatMap((p) => ['-o', p]), '-Y', 'openflow_v1 || openflow_v4 || openflow_v5 || openflow_v6', '-T', 'json', '--no-duplicate-keys',
    // Only the layers read below: building tshark's whole JSON tree is several times slower.
    '-j', 'frame ip ipv6 tcp tcp.segments openflow_v1 openflow_v4 openflow_v5 openflow_v6'];
  const packets = (await tsharkJson(args)) as { _source: { layers: Record<string, unknown> } }[];
  const out: TsharkMessage[] = [];
  for (const p of packets) {
    const layers = p._source.layers;
    const here = Number((layers.frame as Record<string, string>)['frame.number']);
    // A message reassembled from several segments is the frame's first; it starts in the first of them.
    const segs = (layers['tcp.segments'] as Record<string, string | string[]> | undefined)?.['tcp.segment'];
    let frame = segs === undefined ? here : Number(([] as string[]).concat(segs)[0]);
    const ip4 = layers.ip as Record<string, string> | undefined;
    const ip6 = layers.ipv6 as Record<string, string> | undefined;
    const tcp = layers.tcp as Record<string, string>;
    const src = ip4 ? `${ip4['ip.src']}:${tcp['tcp.srcport']}` : `[${ip6!['ipv6.src']}]:${tcp['tcp.srcport']}`;
    const dst = ip4 ? `${ip4['ip.dst']}:${tcp['tcp.dstport']}` : `[${ip6!['ipv6.dst']}]:${tcp['tcp.dstport']}`;
    for (const [layer, value] of Object.entries(layers)) {
      const m = /^openflow_v(\d)$/.exec(layer);
      if (!m) continue;
      const version = Number(m[1]);
      for (const msg of ([] as Record<string, string>[]).concat(value as Record<string, string>)) {
        // tshark's 1.0 dissector names its fields differently from the 1.3+ ones.
        const type = msg[`${layer}.type`] ?? msg['openflow_1_0.type'];
        const xid = msg[`${layer}.xid`] ?? msg['openflow.xid'];
        const length = msg[`${layer}.length`] ?? msg['openflow.length'];
        out.push({ frame, src, dst, length: Number(length), version, type: Number(type), xid: Number(xid) });
        frame = here;
      }
    }
  }
  return out;
}

/**
 * `tshark -r CAPTURE ARGS -T fields -e F...`, one row of fields per frame it prints. `capture`
 * is a file, or bytes (written to a temp file for tshark, removed after).
 */
export function tsharkFields(capture: string | Buffer, args: string[], fields: string[]): string[][] {
  const dir = typeof capture === 'string' ? undefined : mkdtempSync(join(tmpdir(), 'ofstats-tshark-'));
  try {
    let file = capture as string;
    if (dir) writeFileSync((file = join(dir, 'capture')), capture);
    const out = execFileSync('tshark', ['-r', file, ...args, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
