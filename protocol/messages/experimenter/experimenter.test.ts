import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, type Expected } from '../corpus-support.js';
import { EXPERIMENTER_IDS, type ExperimenterMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_experimenter_header (§7.5.4): experimenter u32, exp_type u32, then opaque data.
test('EXPERIMENTER: id, exp_type and opaque data, re-encoded as they were', () => {
  const bytes = hex('04 04 0013 00000001  00002320 0000000a  abcdef');
  const m = decodeMessage(bytes) as ExperimenterMessage;
  assert.deepEqual(m, { version: 4, type: 'EXPERIMENTER', xid: 1, experimenter: 0x2320, exp_type: 10, data: hex('abcdef') });
  assert.deepEqual(encode(m), bytes);
});

test('an EXPERIMENTER without its 8-byte header is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 04 000e 00000001  00002320 0000')), OfDecodeError);
});

corpusSuite('EXPERIMENTER', ['EXPERIMENTER'], {
  // loxigen names Big Switch's messages by class; their fields live in our opaque data.
  loxigen: (j): Expected => {
    assert.match(String(j['_class']), /^message\.bsn_/);
    return { value: { experimenter: EXPERIMENTER_IDS.BSN }, ignore: () => true };
  },
  // ovs-ofctl prints ONF extension messages as ONFT_*; check the id and the fields it prints.
  ovs: (m, text) => {
    assert.equal(m.type, 'EXPERIMENTER');
    const x = m as ExperimenterMessage;
    assert.match(text, new RegExp(`^ONFT_\\w+ \\(OF1\\.3\\) \\(xid=0x${x.xid.toString(16)}\\):`));
    assert.equal(x.experimenter, EXPERIMENTER_IDS.ONF);
    const id = /\bid=(\d+)/.exec(text);
    if (id) assert.equal(x.data.readUInt32BE(0), Number(id[1]));
    const gen = /generation_id=(\d+)/.exec(text);
    if (gen) assert.equal(x.data.readBigUInt64BE(8), BigInt(gen[1]!));
    if (/role=primary/.test(text)) assert.equal(x.data.readUInt32BE(0), 2);
  },
});
