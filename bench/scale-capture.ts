/**
 * The replay input of the scale benchmark: a real Open vSwitch loaded with F generated rules
 * (scripts/ovs-rules.ts), asked once for its features and every stat type ofstats polls, its
 * replies written back to back as raw OpenFlow bytes (a form `ofstats replay` reads: every
 * message is the switch's, replies keyed as the "everything" request of their type).
 * Cached as bench/out/scale-F.raw: generating it needs OVS, replaying it does not.
 */
import { connect } from 'node:net';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Framer } from '../protocol/framer.js';
import { encodeMessage, type EncodableMessage } from '../protocol/codec.js';
import { OFP_VERSION, OFPMPF_REPLY_MORE, OFPT } from '../protocol/constants.js';
import { requestBody } from '../src/scheduler/requests.js';
import { STAT_TYPES } from '../src/scheduler/types.js';
import { writeRuleFiles } from '../scripts/ovs-rules.js';
import { startOvs, type OvsSandbox } from './ovs-sandbox.js';

/** Rules, meters and groups of scripts/ovs-rules.ts into the sandbox's bridge; seconds taken. */
export function loadRules(ovs: OvsSandbox, n: number, dir: string): number {
  const files = writeRuleFiles(dir, n);
  const t0 = performance.now();
  ovs.ofctl(['add-groups', ovs.target, files.groups]);
  for (const m of readFileSync(files.meters, 'utf8').trim().split('\n')) ovs.ofctl(['add-meter', ovs.target, m]);
  ovs.ofctl(['add-flows', ovs.target, files.flows]);
  return (performance.now() - t0) / 1000;
}

const enc = (m: Record<string, unknown>): Buffer => encodeMessage({ version: OFP_VERSION, ...m } as unknown as EncodableMessage);

/** Everything the switch sends after HELLO in answer to FEATURES and one request per stat type. */
export function recordSwitch(target: string, timeoutMs = 120_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect(target.replace(/^unix:/, ''));
    const framer = new Framer();
    const kept: Buffer[] = [];
    const open = new Set<number>();
    const timer = setTimeout(() => done(new Error(`switch did not answer within ${timeoutMs} ms`)), timeoutMs);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(kept));
    };
    sock.on('error', (e) => done(e));
    sock.on('connect', () => sock.write(enc({ type: 'HELLO', xid: 1, elements: [] })));
    sock.on('data', (chunk: Buffer) => {
      for (const m of framer.push(chunk)) {
        const type = m[1]!;
        const xid = m.readUInt32BE(4);
        if (type === OFPT.HELLO) {
          const reqs = [enc({ type: 'FEATURES_REQUEST', xid: 10 })];
          open.add(10);
          STAT_TYPES.forEach((t, i) => {
            reqs.push(enc({ type: 'MULTIPART_REQUEST', xid: 100 + i, multipart_type: t, flags: 0, body: requestBody(t) }));
            open.add(100 + i);
          });
          sock.write(Buffer.concat(reqs));
        } else if (type === OFPT.ECHO_REQUEST) {
          const reply = Buffer.from(m);
          reply[1] = OFPT.ECHO_REPLY;
          sock.write(reply);
        } else if (open.has(xid)) {
          if (type === OFPT.ERROR) return done(new Error(`switch refused request xid ${xid}: ${m.toString('hex', 8, 12)}`));
          kept.push(Buffer.from(m));
          if (type !== OFPT.MULTIPART_REPLY || (m.readUInt16BE(10) & OFPMPF_REPLY_MORE) === 0) open.delete(xid);
          if (open.size === 0) return done();
        }
      }
    });
  });
}

/** bench/out/scale-F.raw, made from a fresh OVS sandbox unless already there. */
export async function scaleCapture(outDir: string, rules: number, log: (s: string) => void): Promise<string> {
  const file = join(outDir, `scale-${rules}.raw`);
  if (existsSync(file)) return file;
  mkdirSync(outDir, { recursive: true });
  const ovs = startOvs();
  try {
    const s = loadRules(ovs, rules, join(outDir, `rules-${rules}`));
    const bytes = await recordSwitch(ovs.target);
    writeFileSync(file + '.tmp', bytes);
    renameSync(file + '.tmp', file);
    log(`replay input: ${rules.toLocaleString('en-US')} rules loaded into Open vSwitch in ${s.toFixed(1)} s, ` +
      `its replies to FEATURES and ${STAT_TYPES.length} stat types recorded: ${file} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  } finally {
    ovs.stop();
  }
  return file;
}
