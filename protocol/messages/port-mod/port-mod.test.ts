import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { OFPPC } from '../../structs/port.js';
import { assertNoEncoder, corpusSuite } from '../corpus-support.js';
import { families, type PortModMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_port_mod (§7.3.4.3): port_no u32, pad[4], hw_addr[6], pad[2], config u32, mask u32,
// advertise u32, pad[4].
test('PORT_MOD from the spec layout', () => {
  const m = decodeMessage(hex('04 10 0028 00000003  00000003 00000000 505400000001 0000  00000001 00000001 00000000 00000000'));
  assert.deepEqual(m, { version: 4, type: 'PORT_MOD', xid: 3, port_no: 3, hw_addr: '50:54:00:00:00:01', config: 1, mask: 1, advertise: 0 });
});

test('a PORT_MOD of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 10 0024 00000003  00000003 00000000 505400000001 0000  00000001 00000001 00000000')), OfDecodeError);
});

test('PORT_MOD is state-changing: decoded, never encoded', () => {
  assertNoEncoder(families, 'PORT_MOD', { port_no: 1, hw_addr: '00:00:00:00:00:01', config: 1, mask: 1, advertise: 0 });
});

corpusSuite('PORT_MOD', ['PORT_MOD'], {
  ovs: (m, text) => {
    const p = m as PortModMessage;
    assert.match(text, new RegExp(`port: ${p.port_no}: addr:${p.hw_addr}\\n`));
    const names = (v: number) => Object.entries(OFPPC).filter(([, bit]) => v & bit).map(([n]) => n).join(' ');
    assert.equal(/config: (.*)\n/.exec(text)![1]!.trim(), names(p.config) || '0');
    assert.equal(/mask: +(.*)\n/.exec(text)![1]!.trim(), names(p.mask) || '0');
    if (p.advertise === 0) assert.match(text, /advertise: UNCHANGED/);
  },
});
