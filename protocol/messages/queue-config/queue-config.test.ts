import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OFPP } from '../../constants.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, ofpPrint, type Expected } from '../corpus-support.js';
import { queueGetConfigRequest, type QueueGetConfigReplyMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_queue_get_config_request (§7.3.6): port u32, pad[4]. The reply adds ofp_packet_queue[].
test('QUEUE_GET_CONFIG_REQUEST / REPLY from the spec layout', () => {
  const req = hex('04 16 0010 00000004  ffffffff 00000000');
  assert.deepEqual(decodeMessage(req), { version: 4, type: 'QUEUE_GET_CONFIG_REQUEST', xid: 4, port: OFPP.ANY });
  assert.deepEqual(encode(queueGetConfigRequest(4, OFPP.ANY)), req);
  const rep = hex('04 17 0030 00000004  00000001 00000000  00000007 00000001 0020 000000000000  0002 0010 00000000 0064 000000000000');
  const m = decodeMessage(rep);
  assert.deepEqual(m, {
    version: 4, type: 'QUEUE_GET_CONFIG_REPLY', xid: 4, port: 1,
    queues: [{ queue_id: 7, port: 1, properties: [{ type: 'MAX_RATE', rate: 100 }] }],
  });
  assert.deepEqual(encode(m), rep);
});

test('queue config messages with bad lengths are typed decode errors', () => {
  assert.throws(() => decodeMessage(hex('04 16 000c 00000004  ffffffff')), OfDecodeError);
  assert.throws(() => decodeMessage(hex('04 17 000c 00000004  00000001')), OfDecodeError);
  assert.throws(() => decodeMessage(hex('04 17 0020 00000004  00000001 00000000  00000007 00000001 0030 000000000000')), OfDecodeError);
});

test('our QUEUE_GET_CONFIG_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(queueGetConfigRequest(9, 1))), 'OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=0x9): port=1\n');
});

const PROP_NAMES: Record<number, string> = { 1: 'MIN_RATE', 2: 'MAX_RATE', 0xffff: 'EXPERIMENTER' };

corpusSuite('QUEUE_CONFIG', ['QUEUE_GET_CONFIG_REQUEST', 'QUEUE_GET_CONFIG_REPLY'], {
  // Ryu's properties carry `property` (the number) where ours carry `type` (the name).
  ryu: (j): Expected => {
    const queues = ((j['queues'] ?? undefined) as Record<string, unknown>[] | undefined)?.map((q) => ({
      ...q,
      properties: (q['properties'] as Record<string, unknown>[]).map(({ property, ...rest }) => ({
        type: PROP_NAMES[property as number], ...rest,
      })),
    }));
    return { value: queues ? { ...j, queues } : j };
  },
  // ovs-ofctl: one line per queue, rates in percent (tenths of a percent on the wire).
  ovs: (m, text) => {
    const r = m as QueueGetConfigReplyMessage;
    assert.match(text, new RegExp(`port=${r.port}\\n`));
    const lines = text.split('\n').filter((l) => l.startsWith('queue '));
    assert.equal(lines.length, r.queues.length);
    for (const q of r.queues) {
      const line = lines.find((l) => l.startsWith(`queue ${q.queue_id}:`));
      assert.ok(line, `queue ${q.queue_id}`);
      for (const p of q.properties) {
        if (p.type === 'MIN_RATE' || p.type === 'MAX_RATE') {
          const pct: RegExpExecArray = new RegExp(`${p.type.toLowerCase()}:([\\d.]+)%`).exec(line)!;
          assert.equal(Math.round(Number(pct[1]) * 10), (p as { rate: number }).rate);
        }
      }
    }
  },
});
