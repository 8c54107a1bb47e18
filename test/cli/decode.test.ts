/**
 * `ofstats decode` as a user runs it: the built binary, from an unrelated cwd. Expected header
 * values come from the corpus manifest (written by the corpus's authors), not from our output.
 */
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, CORPUS, HAVE_CORPUS, runDecode } from '../capture/paths.js';
import { runCliSync } from '../support/cli.js';

interface Sample {
  file: string;
  corpus: string;
  type_name: string;
  xid: number;
  whole_message: boolean;
}

const noStackTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?/, `stack trace in: ${text}`);

describe('ofstats decode (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ofstats-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('raw OpenFlow bytes, several messages back to back: one JSON object per line, header values as the corpus states them', { skip: HAVE_CORPUS ? false : `no corpus at ${CORPUS}` }, () => {
    const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Sample[];
    const names = ['ofpt_hello.dat', 'ofpt_echo_request.dat', 'ofpt_features_reply.dat', 'ofpt_barrier_request.dat', 'ofpt_echo_reply.dat'];
    const samples = names.map((n) => manifest.find((s) => s.corpus === 'kytos' && s.file.endsWith(`/${n}`))!);
    const file = join(dir, 'raw.bin');
    writeFileSync(file, Buffer.concat(samples.map((s) => readFileSync(join(CORPUS, s.file)))));
    const r = runDecode([file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.lines.map((l) => [l.version, l.type, l.xid]), samples.map((s) => [4, s.type_name, s.xid]));
    // 64-bit values are exact decimal strings; raw input has no frame or endpoints.
    const features = r.lines[2]!;
    assert.equal(typeof features.datapath_id, 'string');
    assert.equal('frame' in features || 'src' in features, false);
  });

  test('garbage input: error objects with reason, offset, type, xid and hex; exit 1; no stack trace', () => {
    const cases: [string, Buffer, RegExp][] = [
      ['length below 8', Buffer.from('0402000400000007', 'hex'), /^message length 4 is below the 8-byte header at offset 2$/],
      ['truncated message', Buffer.from('0402006400000009' + '00'.repeat(12), 'hex'), /^truncated message: length 100, only 20 bytes left in the input at offset 20$/],
      ['text', Buffer.from('this is not OpenFlow at all\n'), /^truncated message/],
      ['unknown type', Buffer.from('04ee000800000001', 'hex'), /^unknown message type 238 at offset 1$/],
    ];
    for (const [name, bytes, reason] of cases) {
      const file = join(dir, `${name}.bin`);
      writeFileSync(file, bytes);
      const r = runDecode([file]);
      assert.equal(r.status, 1, name);
      noStackTrace(r.stderr);
      assert.ok(r.lines.length >= 1, name);
      const e = r.lines[0]!;
      assert.match(String(e.error), reason, name);
      assert.ok('type' in e && 'xid' in e && typeof e.hex === 'string', name);
      assert.equal(Buffer.from(String(e.hex), 'hex').length > 0, true);
    }
  });

  test('decoding goes on after a bad message', () => {
    const good = Buffer.from('0402000800000001', 'hex'); // ECHO_REQUEST xid 1 (spec layout: header only)
    const bad = Buffer.from('04ee000800000002', 'hex');
    const file = join(dir, 'mixed.bin');
    writeFileSync(file, Buffer.concat([good, bad, good]));
    const r = runDecode([file]);
    assert.equal(r.status, 1);
    assert.deepEqual(r.lines.map((l) => ('error' in l ? 'error' : l.type)), ['ECHO_REQUEST', 'error', 'ECHO_REQUEST']);
  });

  test('unreadable files: one clear line on stderr, exit 1', () => {
    for (const [path, text] of [[join(dir, 'absent.pcap'), 'no such file'], [dir, 'is a directory']] as const) {
      const r = runDecode([path]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `ofstats decode: ${path}: ${text}\n`);
    }
  });

  test('a capture cut short inside a record: what came before, then one line on stderr, exit 1', { skip: HAVE_CORPUS ? false : `no corpus at ${CORPUS}` }, () => {
    const whole = readFileSync(join(CORPUS, 'pcap/tcpdump/of13_ericsson.pcapng'));
    const file = join(dir, 'cut.pcapng');
    writeFileSync(file, whole.subarray(0, 2990));
    const r = runDecode([file]);
    assert.equal(r.status, 1);
    assert.ok(r.lines.length >= 3);
    assert.match(r.stderr, /^ofstats decode: .*cut\.pcapng: truncated pcapng block after frame \d+\n$/);
    noStackTrace(r.stderr);
  });

  test('several files and stdin ("-"): each line names its file', () => {
    const a = join(dir, 'a.bin');
    writeFileSync(a, Buffer.from('0402000800000001', 'hex'));
    const r = runDecode([a, '-'], Buffer.from('0403000800000002', 'hex'));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.lines.map((l) => [l.file, l.type, l.xid]), [[a, 'ECHO_REQUEST', 1], ['-', 'ECHO_REPLY', 2]]);
  });

  test('piped into a reader that stops early (| head -1): stops quietly, exit 0', async () => {
    const file = join(dir, 'many.bin');
    writeFileSync(file, Buffer.alloc(200_000 * 8, Buffer.from('0402000800000001', 'hex')));
    const child = spawn(process.execPath, [CLI, 'decode', file], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.match(first, /^\{"version":4,"type":"ECHO_REQUEST","xid":1/);
    assert.equal(code, 0);
    assert.equal(err, '');
  });

  test('help lists the decode subcommand', () => {
    const r = runCliSync(['--help'], { cwd: '/' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\bdecode <file\.\.\.>/);
  });
});
