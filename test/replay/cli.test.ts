/**
 * `ofstats replay` as a command: flag and file errors, and malformed requests answered with
 * the spec's errors instead of ending the process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Framer } from '../../protocol/framer.js';
import { CORPUS } from '../capture/paths.js';
import { runCliSync } from '../support/cli.js';
import { startReplay } from './helpers.js';

const CAPTURE = join(CORPUS, 'pcap/tcpdump/of13_ericsson.pcapng');

function replay(args: string[]) {
  return runCliSync(['replay', ...args], { timeoutMs: 15_000 });
}

test('bad flags exit 2 with one line; unreadable or switch-less input exits 1', () => {
  for (const args of [
    [CAPTURE, '--listen', '0', '--switches', '0'],
    [CAPTURE, '--listen', '0', '--connect', 'tcp:127.0.0.1:1'],
    [CAPTURE],
    [CAPTURE, '--listen', '65535', '--switches', '2'],
    [CAPTURE, '--connect', 'nonsense'],
    [CAPTURE, '--listen', '0', '--dpid-base', 'x1'],
  ]) {
    const r = replay(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^ofstats replay: .+\n$/);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-replay-'));
  try {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not OpenFlow at all, just some text in a file\n');
    for (const file of [join(dir, 'missing.pcap'), text]) {
      const r = replay([file, '--listen', '0']);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /ofstats replay: .+\n$/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fake controller (raw bytes): malformed requests get ERROR BAD_REQUEST/BAD_LEN and the switch keeps answering', async () => {
  const r = await startReplay([CAPTURE, '--listen', '127.0.0.1:0']);
  try {
    const [host, port] = r.targets[0]!.replace(/^tcp:/, '').split(':');
    const s = net.connect({ host, port: Number(port) });
    await once(s, 'connect');
    const framer = new Framer();
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(...framer.push(d)));
    const hdr = (type: number, len: number, xid: number) => {
      const b = Buffer.alloc(len);
      b.writeUInt8(4, 0);
      b.writeUInt8(type, 1);
      b.writeUInt16BE(len, 2);
      b.writeUInt32BE(xid, 4);
      return b;
    };
    s.write(Buffer.concat([
      hdr(0, 8, 1), // HELLO without a bitmap, version 1.3
      hdr(24, 12, 2), // ROLE_REQUEST 4 bytes short
      hdr(18, 10, 3), // MULTIPART_REQUEST shorter than its header
      hdr(2, 8, 4), // ECHO_REQUEST
    ]));
    const until = Date.now() + 5_000;
    while (!got.some((m) => m[1] === 3) && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    s.destroy();
    const errors = got.filter((m) => m[1] === 1).map((m) => [m.readUInt32BE(4), m.readUInt16BE(8), m.readUInt16BE(10)]);
    // OFPET_BAD_REQUEST = 1, OFPBRC_BAD_LEN = 6 (OpenFlow 1.3.5 §7.4.4).
    assert.deepEqual(errors, [[2, 1, 6], [3, 1, 6]]);
    const echo = got.find((m) => m[1] === 3);
    assert.equal(echo?.readUInt32BE(4), 4);
  } finally {
    await r.stop();
  }
});
