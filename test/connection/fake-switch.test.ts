/**
 * Behaviour of the connection layer against FAKE switches (scripted peers in this process).
 * The real-switch proof is in ovs.test.ts; these cover what a real OVS cannot be made to do
 * on demand (stale roles, silence, garbage, exact timing of replies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfSwitchManager } from '../../src/connection/manager.js';
import type { RequestFailure, SwitchHandle } from '../../src/connection/types.js';
import { captureLog, FakeSwitch, port, until } from './helpers.js';

async function manager(extra: Partial<ConstructorParameters<typeof OfSwitchManager>[0]> = {}) {
  const cap = captureLog();
  const m = new OfSwitchManager({ listen: ['127.0.0.1:0'], logger: cap.log, handshakeTimeoutMs: 2000, requestTimeoutMs: 2000, ...extra });
  const ups: SwitchHandle[] = [];
  const downs: Array<[SwitchHandle, string]> = [];
  const decodeErrors: unknown[] = [];
  m.on('switch-up', (h) => ups.push(h));
  m.on('switch-down', (h, r) => downs.push([h, r]));
  m.on('decode-error', (i) => decodeErrors.push(i));
  await m.start();
  return { m, cap, ups, downs, decodeErrors, port: m.listeningPorts()[0]! };
}

const failure = (kind: RequestFailure['kind'], extra: Partial<RequestFailure> = {}) => (e: unknown) => {
  const f = e as RequestFailure;
  assert.equal(f.kind, kind, f.message);
  for (const [k, v] of Object.entries(extra)) assert.equal((f as any)[k], v);
  return true;
};

test('fake switch: handshake as slave (generation read with NOCHANGE), DESC, PORT_DESC, PORT_STATUS', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 0xabcdef0123n, generation: 41n, ports: [{ port_no: 1, name: 'p1' }, { port_no: 2, name: 'p2' }] });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    const h = t.ups[0]!;
    assert.equal(h.switchId, 'SW000000ABCDEF0123');
    assert.equal(h.dpid, 0xabcdef0123n);
    assert.equal(h.connected, true);
    assert.equal(h.desc?.dp_desc, 'fake switch');
    assert.deepEqual([...h.ports.values()].map((p) => p.name), ['p1', 'p2']);
    const roles = sw.received.filter((m) => m.type === 'ROLE_REQUEST').map((m) => [m.role, m.generation_id]);
    assert.deepEqual(roles, [[0, 0n], [3, 41n]]);
    assert.deepEqual(t.m.switches(), [h]);
    // PORT_STATUS keeps ports current: ADD, MODIFY, DELETE (ofp_port_reason).
    sw.send({ type: 'PORT_STATUS', xid: 0, reason: 0, desc: port(3, 'p3') });
    sw.send({ type: 'PORT_STATUS', xid: 0, reason: 2, desc: port(1, 'p1-renamed') });
    sw.send({ type: 'PORT_STATUS', xid: 0, reason: 1, desc: port(2, 'p2') });
    await until(() => h.ports.has(3) && !h.ports.has(2), 2000, 'port status');
    assert.equal(h.ports.get(1)?.name, 'p1-renamed');
    sw.close();
    await until(() => t.downs.length === 1, 2000, 'switch-down');
    assert.equal(t.m.switches().length, 0);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: a STALE answer to SLAVE is retried with a fresh generation id', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 2n, staleOnce: true });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    assert.deepEqual(sw.received.filter((m) => m.type === 'ROLE_REQUEST').map((m) => m.role), [0, 3, 0, 3]);
    assert.ok(t.cap.find(/stale; retrying/));
  } finally {
    await t.m.stop();
  }
});

test('fake switch: requests queue behind the outstanding limit, multipart reassembles, errors and timeouts fail their request', async () => {
  const t = await manager({ maxOutstanding: 1, maxQueued: 2 });
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 3n });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    const h = t.ups[0]!;
    const before = sw.received.length;
    const a = h.multipart('TABLE');
    const b = h.multipart('PORT_STATS', [{ port_no: 0xffffffff }]);
    const c = h.multipart('GROUP_DESC', [], { timeoutMs: 300 });
    const d = h.multipart('METER_FEATURES'); // queue full: 2 waiting already
    await assert.rejects(d, failure('refused'));
    const ra = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'TABLE');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sw.received.length, before + 1, 'only one request at the switch at a time');
    const entry = { table_id: 0, active_count: 5, lookup_count: 10n, matched_count: 7n };
    sw.send({ type: 'MULTIPART_REPLY', xid: ra.xid, multipart_type: 'TABLE', flags: 1, body: [entry] });
    sw.send({ type: 'MULTIPART_REPLY', xid: ra.xid, multipart_type: 'TABLE', flags: 1, body: [{ ...entry, table_id: 1 }, { ...entry, table_id: 2 }] });
    sw.send({ type: 'MULTIPART_REPLY', xid: ra.xid, multipart_type: 'TABLE', flags: 0, body: [{ ...entry, table_id: 3 }] });
    const res = await a;
    assert.equal(res.parts, 3);
    assert.deepEqual(res.entries.map((e: any) => e.table_id), [0, 1, 2, 3]);
    const rb = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'PORT_STATS');
    sw.send({ type: 'ERROR', xid: rb.xid, error_type: 1, code: 2, data: Buffer.alloc(0) });
    await assert.rejects(b, failure('error-reply', { errorType: 'BAD_REQUEST', errorCode: 'BAD_MULTIPART' }));
    await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'GROUP_DESC');
    await assert.rejects(c, failure('timeout'));
    // The switch goes away: the request at the switch and the one waiting both fail 'disconnected'.
    const e = h.multipart('DESC');
    const f = h.multipart('TABLE');
    await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'DESC');
    sw.close();
    await assert.rejects(e, failure('disconnected'));
    await assert.rejects(f, failure('disconnected'));
    await assert.rejects(h.multipart('TABLE'), failure('disconnected'));
    assert.equal(h.connected, false);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: echo requests answered with the same xid and data; a switch that stops answering ours is dropped', async () => {
  const t = await manager({ echoIntervalMs: 60, echoMisses: 3 });
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 4n });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    sw.send({ type: 'ECHO_REQUEST', xid: 0xdead, data: Buffer.from('ping!') });
    const rep = await sw.next('ECHO_REPLY');
    assert.equal(rep.xid, 0xdead);
    assert.deepEqual(rep.data, Buffer.from('ping!'));
    // Answer our echoes for a while: the connection stays.
    for (let i = 0; i < 4; i++) {
      const rq = await sw.next('ECHO_REQUEST');
      sw.send({ type: 'ECHO_REPLY', xid: rq.xid, data: rq.data });
    }
    assert.equal(t.downs.length, 0);
    // Then go silent (TCP still open).
    await until(() => t.downs.length === 1, 2000, 'keepalive drop');
    assert.match(t.downs[0]![1], /echo requests unanswered/);
    assert.ok(t.cap.find(/stopped answering echo requests/));
  } finally {
    await t.m.stop();
  }
});

test('fake switch: a second connection with the same datapath id replaces the first', async () => {
  const t = await manager();
  try {
    const one = await FakeSwitch.dial(t.port);
    await one.handshake({ dpid: 5n });
    await until(() => t.ups.length === 1, 3000, 'first up');
    const pending = t.ups[0]!.multipart('TABLE').then(() => assert.fail('should fail'), (e: unknown) => e);
    await one.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'TABLE');
    const two = await FakeSwitch.dial(t.port);
    await two.handshake({ dpid: 5n });
    await until(() => t.ups.length === 2, 3000, 'second up');
    failure('disconnected')(await pending);
    assert.equal(t.downs.length, 1);
    assert.equal(t.downs[0]![0], t.ups[0]);
    assert.match(t.downs[0]![1], /replaced/);
    assert.deepEqual(t.m.switches(), [t.ups[1]]);
    await until(() => one.closed, 2000, 'old socket closed');
    assert.ok(t.cap.find(/same datapath id: replacing/));
  } finally {
    await t.m.stop();
  }
});

test('fake switch: offers only OpenFlow 1.0 → HELLO_FAILED/INCOMPATIBLE and a log line naming 1.0', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    sw.raw(Buffer.from('0100000800000001', 'hex')); // OF1.0 HELLO, no bitmap (§6.3.1: header version only)
    const err = await sw.next('ERROR');
    assert.equal(err.error_type_name, 'HELLO_FAILED');
    assert.equal(err.code_name, 'INCOMPATIBLE');
    await until(() => sw.closed, 2000, 'closed');
    const line = t.cap.find(/offers no OpenFlow 1\.3/);
    assert.ok(line);
    assert.match(String(line.msg), /versions offered: 1\.0/);
    assert.equal(t.ups.length, 0);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: accepts TCP and says nothing → dropped by the handshake timeout with a clear log line', async () => {
  const t = await manager({ handshakeTimeoutMs: 300 });
  try {
    const sw = await FakeSwitch.dial(t.port);
    const local = sw.socket.localPort;
    await until(() => sw.closed, 3000, 'dropped');
    const line = t.cap.find(/handshake timed out/);
    assert.ok(line);
    assert.match(String(line.msg), /waiting for HELLO/);
    assert.equal(line.peer, `tcp:127.0.0.1:${local}`);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: garbage (length below 8) → logged with peer, offset and reason, counted, dropped', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    sw.raw(Buffer.from('0400000300000001deadbeef', 'hex'));
    await until(() => sw.closed, 2000, 'dropped');
    const line = t.cap.find(/peer sent garbage/);
    assert.ok(line);
    assert.equal(line.offset, 2);
    assert.match(String(line.reason), /below the 8-byte header/);
    assert.equal(t.decodeErrors.length, 1);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: one undecodable reply with a sane frame is skipped; the switch stays up', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 6n });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    const h = t.ups[0]!;
    const p = h.multipart('TABLE');
    const rq = await sw.next('MULTIPART_REQUEST');
    // MULTIPART_REPLY TABLE whose body (5 bytes) is not a multiple of ofp_table_stats (24 bytes).
    const bad = Buffer.from('0413001500000000' + '0003000000000000' + '0102030405', 'hex');
    bad.writeUInt32BE(rq.xid, 4);
    sw.raw(bad);
    await assert.rejects(p, failure('undecodable'));
    assert.equal(t.decodeErrors.length, 1);
    assert.ok(t.cap.find(/does not decode/));
    // Still connected and serving requests.
    const q = h.multipart('TABLE');
    const rq2 = await sw.next('MULTIPART_REQUEST');
    sw.send({ type: 'MULTIPART_REPLY', xid: rq2.xid, multipart_type: 'TABLE', flags: 0, body: [] });
    assert.equal((await q).parts, 1);
    assert.equal(h.connected, true);
  } finally {
    await t.m.stop();
  }
});

// ofp_flow_stats entries written from OpenFlow 1.3.5 §7.3.5.2 (not by our encoder): table 3,
// priority 100, in_port 7, output 2, counters past 2^53; and the same with OUTPUT of length 8.
const FLOW_ENTRY_HEX =
  '0068' + '03' + '00' + '0000000a' + '00000001' + '0064' + '0000' + '0000' + '0000' + '00000000' +
  'fedcba9876543210' + 'ffffffffffffffff' + '0020000000000001' +
  '0001000c' + '80000004' + '00000007' + '00000000' + // match: in_port=7, padded to 16
  '00060008' + '00000021' + // METER 33
  '00040020' + '00000000' + '00160008' + '00000005' + '0000001000000002ffff000000000000'; // APPLY: group 5, output 2
const BAD_FLOW_ENTRY_HEX = FLOW_ENTRY_HEX.slice(0, 2 * 90) + '0008' + FLOW_ENTRY_HEX.slice(2 * 92);

/** A FLOW request for every rule of every table. */
const FLOW_ALL = [{ table_id: 0xff, out_port: 0xffffffff, out_group: 0xffffffff, cookie: 0n, cookie_mask: 0n, match: { type: 1, oxm_fields: [] } }];

/** A MULTIPART_REPLY FLOW part (REPLY_MORE when `more`) holding the entries given as hex. */
function flowPart(xid: number, more: boolean, ...entriesHex: string[]): Buffer {
  const body = Buffer.from(entriesHex.join(''), 'hex');
  const h = Buffer.from('0413000000000000' + '0001' + (more ? '0001' : '0000') + '00000000', 'hex');
  h.writeUInt16BE(16 + body.length, 2);
  h.writeUInt32BE(xid, 4);
  return Buffer.concat([h, body]);
}

test('fake switch: a lean FLOW request scans every part into one columns object; a part that does not decode fails it, the switch stays up', async () => {
  const t = await manager();
  try {
    const sw = await FakeSwitch.dial(t.port);
    await sw.handshake({ dpid: 7n });
    await until(() => t.ups.length === 1, 3000, 'switch-up');
    const h = t.ups[0]!;

    const p = h.multipart('FLOW', FLOW_ALL, { lean: true });
    const rq = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'FLOW');
    sw.raw(flowPart(rq.xid, true, FLOW_ENTRY_HEX, FLOW_ENTRY_HEX));
    sw.raw(flowPart(rq.xid, false, FLOW_ENTRY_HEX));
    const r = await p;
    assert.equal(r.parts, 2);
    assert.deepEqual(r.entries, []);
    const c = r.flows!;
    assert.equal(c.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(
        [c.tableId[i], c.priority[i], c.cookie(i), c.packets(i), c.bytes(i), c.inPort[i], c.outPort[i]],
        [3, 100, 0xfedcba9876543210n, 2n ** 64n - 1n, 2n ** 53n + 1n, 7, 2],
      );
    }

    // Second part: one good entry, then one whose OUTPUT action is 8 bytes long.
    const q = h.multipart('FLOW', FLOW_ALL, { lean: true });
    const rq2 = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'FLOW');
    sw.raw(flowPart(rq2.xid, true, FLOW_ENTRY_HEX));
    sw.raw(flowPart(rq2.xid, true, FLOW_ENTRY_HEX, BAD_FLOW_ENTRY_HEX));
    // The rest of that reply arrives after the request failed: ignored.
    sw.raw(flowPart(rq2.xid, false, FLOW_ENTRY_HEX));
    await assert.rejects(q, failure('undecodable'));
    assert.equal(t.decodeErrors.length, 1);
    const line = t.cap.find(/does not decode/)!;
    assert.equal(line.offset, 16 + 0x68 + 90);
    assert.match(String(line.reason), /OUTPUT action length 8 is not 16/);

    // Still connected; the next lean request holds its own entries only.
    const u = h.multipart('FLOW', FLOW_ALL, { lean: true });
    const rq3 = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'FLOW');
    sw.raw(flowPart(rq3.xid, false, FLOW_ENTRY_HEX));
    const r3 = await u;
    assert.equal(r3.flows!.length, 1);
    assert.equal(r3.flows!.bytes(0), 2n ** 53n + 1n);
    // An empty reply gives empty columns, not a missing field.
    const v = h.multipart('FLOW', FLOW_ALL, { lean: true });
    const rq4 = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'FLOW');
    sw.raw(flowPart(rq4.xid, false));
    assert.equal((await v).flows!.length, 0);
    // Without `lean`, the same reply is fully decoded into entries.
    const w = h.multipart<{ cookie: bigint; instructions: unknown[] }>('FLOW', FLOW_ALL);
    const rq5 = await sw.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'FLOW');
    sw.raw(flowPart(rq5.xid, false, FLOW_ENTRY_HEX));
    const r5 = await w;
    assert.equal(r5.flows, undefined);
    assert.equal(r5.entries.length, 1);
    assert.equal(r5.entries[0]!.cookie, 0xfedcba9876543210n);
    assert.equal(h.connected, true);
  } finally {
    await t.m.stop();
  }
});

test('fake switch: role config equal sends EQUAL only; nochange only reads the role', async () => {
  for (const [role, expected] of [['equal', [1]], ['nochange', [0]]] as const) {
    const t = await manager({ role });
    try {
      const sw = await FakeSwitch.dial(t.port);
      await sw.handshake({ dpid: 9n });
      await until(() => t.ups.length === 1, 3000, `switch-up (${role})`);
      assert.deepEqual(sw.received.filter((m) => m.type === 'ROLE_REQUEST').map((m) => m.role), expected);
    } finally {
      await t.m.stop();
    }
  }
});

test('fake switch: a per-switch role (config override by datapath id) wins over the global one', async () => {
  const t = await manager({ role: 'slave', roleFor: (dpid: bigint) => (dpid === 9n ? 'equal' : undefined) });
  try {
    const a = await FakeSwitch.dial(t.port);
    await a.handshake({ dpid: 9n });
    const b = await FakeSwitch.dial(t.port);
    await b.handshake({ dpid: 10n });
    await until(() => t.ups.length === 2, 3000, 'both switches up');
    assert.deepEqual(a.received.filter((m) => m.type === 'ROLE_REQUEST').map((m) => m.role), [1]);
    assert.deepEqual(b.received.filter((m) => m.type === 'ROLE_REQUEST').map((m) => m.role), [0, 3]);
  } finally {
    await t.m.stop();
  }
});
