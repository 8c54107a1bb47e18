/** tshark as a capture tool and as the independent decoder the capture tests compare against. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Capture {
  /** Stop capturing (SIGINT) and wait until the file is complete. */
  stop(): Promise<void>;
}

/**
 * Start `tshark -i IFACE -f FILTER -w FILE` (one -i per interface) and resolve once packets
 * really reach the file: tshark says "Capturing on" before dumpcap is done setting up, so UDP
 * datagrams to a port nobody uses are sent (and captured: `or udp port N` is added to the
 * filter; OpenFlow decoders ignore them) until the file grows. `format` pcap writes classic pcap.
 * Each interface gets a 64 MB kernel buffer: a 1 MB reply burst must not overflow it (and
 * make the capture lose segments) while dumpcap waits for a CPU.
 */
export async function startCapture(opts: { ifaces: string[]; filter: string; file: string; format?: 'pcap' | 'pcapng' }): Promise<Capture> {
  const probePort = 40000 + Math.floor(Math.random() * 20000);
  const filter = `(${opts.filter}) or udp dst port ${probePort}`;
  rmSync(opts.file, { force: true }); // a previous file's size would fake growth
  const args = ['-q', ...opts.ifaces.flatMap((i) => ['-i', i, '-B', '64']), '-f', filter, '-w', opts.file];
  if (opts.format === 'pcap') args.push('-F', 'pcap');
  const child: ChildProcess = spawn('tshark', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  let dead = false;
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.once('exit', () => (dead = true));
  const stop = async (): Promise<void> => {
    if (!dead) child.kill('SIGINT');
    await exited;
  };
  const size = (): number => {
    try {
      return statSync(opts.file).size;
    } catch {
      return 0;
    }
  };
  const until = Date.now() + 15_000;
  while (!/Capturing on /.test(err)) {
    if (dead || Date.now() > until) {
      await stop();
      throw new Error(`tshark did not start capturing: ${err}`);
    }
    await sleep(20);
  }
  const sock = createSocket('udp4');
  try {
    let header: number | undefined;
    for (;;) {
      const now = size();
      if (header === undefined && now > 0) header = now;
      else if (header !== undefined && now > header) break;
      if (dead || Date.now() > until) throw new Error(`tshark captured nothing: ${err}`);
      sock.send('probe', probePort, '127.0.0.1');
      await sleep(50);
    }
  } catch (e) {
    await stop();
    throw e;
  } finally {
    sock.close();
  }
  return { stop };
}

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
