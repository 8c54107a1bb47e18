import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError, OfEncodeError } from '../errors.js';
import {
  decodeOxm, decodeOxmId, decodeOxmList, encodeOxm, encodeOxmId, ipv6Text, oxmBasicCode, oxmBasicName,
  parseIpv6, type OxmField, type OxmId,
} from './oxm.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const reader = (s: string) => new Reader(hex(s));
function enc<T>(fn: (w: Writer, v: T) => void, v: T): string {
  const w = new Writer();
  fn(w, v);
  return w.finish().toString('hex');
}

/**
 * The OXM_OF_* header of every OpenFlow 1.3 basic field as openflow.h spells them
 * (OXM_HEADER(0x8000, OFPXMT_OFB_*, width)), with how the spec types its value.
 */
const SPEC_HEADERS: [name: string, header: number, kind: 'int' | 'mac' | 'ipv4' | 'ipv6'][] = [
  ['in_port', 0x80000004, 'int'], ['in_phy_port', 0x80000204, 'int'], ['metadata', 0x80000408, 'int'],
  ['eth_dst', 0x80000606, 'mac'], ['eth_src', 0x80000806, 'mac'], ['eth_type', 0x80000a02, 'int'],
  ['vlan_vid', 0x80000c02, 'int'], ['vlan_pcp', 0x80000e01, 'int'], ['ip_dscp', 0x80001001, 'int'],
  ['ip_ecn', 0x80001201, 'int'], ['ip_proto', 0x80001401, 'int'], ['ipv4_src', 0x80001604, 'ipv4'],
  ['ipv4_dst', 0x80001804, 'ipv4'], ['tcp_src', 0x80001a02, 'int'], ['tcp_dst', 0x80001c02, 'int'],
  ['udp_src', 0x80001e02, 'int'], ['udp_dst', 0x80002002, 'int'], ['sctp_src', 0x80002202, 'int'],
  ['sctp_dst', 0x80002402, 'int'], ['icmpv4_type', 0x80002601, 'int'], ['icmpv4_code', 0x80002801, 'int'],
  ['arp_op', 0x80002a02, 'int'], ['arp_spa', 0x80002c04, 'ipv4'], ['arp_tpa', 0x80002e04, 'ipv4'],
  ['arp_sha', 0x80003006, 'mac'], ['arp_tha', 0x80003206, 'mac'], ['ipv6_src', 0x80003410, 'ipv6'],
  ['ipv6_dst', 0x80003610, 'ipv6'], ['ipv6_flabel', 0x80003804, 'int'], ['icmpv6_type', 0x80003a01, 'int'],
  ['icmpv6_code', 0x80003c01, 'int'], ['ipv6_nd_target', 0x80003e10, 'ipv6'], ['ipv6_nd_sll', 0x80004006, 'mac'],
  ['ipv6_nd_tll', 0x80004206, 'mac'], ['mpls_label', 0x80004404, 'int'], ['mpls_tc', 0x80004601, 'int'],
  ['mpls_bos', 0x80004801, 'int'], ['pbb_isid', 0x80004a03, 'int'], ['tunnel_id', 0x80004c08, 'int'],
  ['ipv6_exthdr', 0x80004e02, 'int'],
];

/** What the spec's text form of `bytes` is, written out independently of the codec. */
function expectedValue(kind: string, width: number, bytes: Buffer): unknown {
  if (kind === 'mac') return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
  if (kind === 'ipv4') return [...bytes].join('.');
  if (kind === 'ipv6') return '8081:8283:8485:8687:8889:8a8b:8c8d:8e8f';
  const n = BigInt('0x' + bytes.toString('hex'));
  return width === 8 ? n : Number(n);
}

test('every OpenFlow 1.3 basic field decodes from its spec header, plain and masked, and re-encodes', () => {
  assert.equal(SPEC_HEADERS.length, 40);
  for (const [name, header, kind] of SPEC_HEADERS) {
    const width = header & 0xff;
    const value = Buffer.from(Array.from({ length: width }, (_, i) => 0x80 + i));
    const mask = Buffer.from(Array.from({ length: width }, (_, i) => (kind === 'ipv6' ? 0xff : 0xf0 + i)));
    const h = Buffer.alloc(4);
    h.writeUInt32BE(header);
    const plain = Buffer.concat([h, value]);
    const f = decodeOxm(new Reader(plain));
    assert.deepEqual(f, { class: 'OPENFLOW_BASIC', field: name, value: expectedValue(kind, width, value) }, name);
    assert.equal(enc(encodeOxm, f), plain.toString('hex'), `${name} re-encodes`);

    const hm = Buffer.alloc(4);
    hm.writeUInt32BE(((header | 0x100) >>> 0) + width); // hasmask bit, doubled length
    const masked = Buffer.concat([hm, value, mask]);
    const m = decodeOxm(new Reader(masked));
    assert.equal(m.class, 'OPENFLOW_BASIC');
    assert.ok('mask' in m, `${name} masked has a mask`);
    if (kind !== 'ipv6') assert.deepEqual(m.mask, expectedValue(kind, width, mask), `${name} mask`);
    assert.equal(enc(encodeOxm, m), masked.toString('hex'), `${name} masked re-encodes`);

    assert.equal(oxmBasicName((header >>> 9) & 0x7f), name);
    assert.equal(oxmBasicCode(name), (header >>> 9) & 0x7f);
  }
});

test('IPv6 addresses print as RFC 5952 text', () => {
  const cases: [string, string][] = [
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // §4.2.3: leftmost of equal runs
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one 0 stays
    ['20010000000000010000000000000001', '2001:0:0:1::1'], // §4.2.3: the longest run
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00010000000000000000000000000000', '1::'],
    ['20010DB8AAAA00000000000000000000'.toLowerCase(), '2001:db8:aaaa::'],
    ['fe8000000000000002000000000000ff', 'fe80::200:0:0:ff'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // §5: IPv4-mapped
  ];
  for (const [bytes, text] of cases) {
    assert.equal(ipv6Text(hex(bytes)), text, bytes);
    assert.equal(Buffer.from(parseIpv6(text)!).toString('hex'), bytes, text);
  }
  assert.equal(Buffer.from(parseIpv6('2001:0DB8:0:0:0:0:0:1')!).toString('hex'), '20010db8000000000000000000000001');
  for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '::1.2.3', 'g::', '1:2:3:4:5:6:7::8:9']) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
});

test('OXM examples from the spec layout', () => {
  // §7.2.3.7: an Ethernet destination masked to its multicast bit.
  assert.deepEqual(decodeOxm(reader('8000070c 010000000000 010000000000')), {
    class: 'OPENFLOW_BASIC', field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00',
  });
  // VLAN id with OFPVID_PRESENT (0x1000) set.
  assert.deepEqual(decodeOxm(reader('80000c02 1064')), { class: 'OPENFLOW_BASIC', field: 'vlan_vid', value: 0x1064 });
  // Metadata masked, both 64-bit.
  assert.deepEqual(decodeOxm(reader('80000510 fedcba9876543210 ffffffff00000000')), {
    class: 'OPENFLOW_BASIC', field: 'metadata', value: 0xfedcba9876543210n, mask: 0xffffffff00000000n,
  });
  assert.deepEqual(decodeOxm(reader('80001708 0a000000 ff000000')), {
    class: 'OPENFLOW_BASIC', field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0',
  });
});

test('OXMs of other classes stay opaque and re-encode to the same bytes', () => {
  const cases: [string, OxmField][] = [
    // OVS NXM_NX_REG0 = 0x12345678
    ['00010004 12345678', { class: 1, field: 0, hasmask: false, data: hex('12345678') }],
    // NXM_OF_IN_PORT (class 0)
    ['00000002 0005', { class: 0, field: 0, hasmask: false, data: hex('0005') }],
    // NXM_NX_PKT_MARK masked
    ['00014308 0000d431 0000ffff', { class: 1, field: 33, hasmask: true, data: hex('0000d4310000ffff') }],
    // A basic-class field number this codec does not know
    ['80006402 abcd', { class: 0x8000, field: 50, hasmask: false, data: hex('abcd') }],
    // Experimenter: the id is kept apart from the payload
    ['ffff0007 4f4e4600 0a0001', { class: 'EXPERIMENTER', field: 0, hasmask: false, experimenter: 0x4f4e4600, data: hex('0a0001') }],
    ['ffff0304 00005c16', { class: 'EXPERIMENTER', field: 1, hasmask: true, experimenter: 0x5c16, data: hex('') }],
  ];
  for (const [bytes, expected] of cases) {
    const r = reader(bytes);
    assert.deepEqual(decodeOxm(r), expected, bytes);
    assert.equal(r.remaining, 0);
    assert.equal(enc(encodeOxm, expected), bytes.replace(/\s+/g, ''));
  }
});

test('malformed OXMs give OfDecodeError', () => {
  const bad = [
    '8000', // truncated header
    '80000004 000000', // payload runs past the parent
    '80000003 000000', // in_port with 3 bytes
    '80000104 00000001', // masked in_port without room for its mask
    '80000606 0102030405', // eth_dst truncated
    'ffff0002 0000', // experimenter without its id
  ];
  for (const b of bad) assert.throws(() => decodeOxmList(reader(b)), OfDecodeError, b);
  // The error carries the offset of the offending TLV within the list.
  assert.throws(() => decodeOxmList(reader('80000004 00000001 80000003 000000')), (e: unknown) =>
    e instanceof OfDecodeError && e.offset === 8);
});

test('a list decodes to its end', () => {
  const list = decodeOxmList(reader('80000004 00000001 80000a02 0800 80001401 06'));
  assert.deepEqual(list.map((f) => [f.field, 'value' in f ? f.value : undefined]), [
    ['in_port', 1], ['eth_type', 0x800], ['ip_proto', 6],
  ]);
});

test('encoding refuses values that do not fit the field', () => {
  const bad: OxmField[] = [
    { class: 'OPENFLOW_BASIC', field: 'eth_dst', value: '01:02:03:04:05' },
    { class: 'OPENFLOW_BASIC', field: 'eth_dst', value: '01:02:03:04:05:zz' },
    { class: 'OPENFLOW_BASIC', field: 'ipv4_src', value: '10.0.0.256' },
    { class: 'OPENFLOW_BASIC', field: 'ipv6_src', value: '1::2::3' },
    { class: 'OPENFLOW_BASIC', field: 'vlan_pcp', value: 256 },
    { class: 'OPENFLOW_BASIC', field: 'in_port', value: -1 },
    { class: 'OPENFLOW_BASIC', field: 'metadata', value: 1 as unknown as bigint },
    { class: 'OPENFLOW_BASIC', field: 'no_such_field' as 'in_port', value: 1 },
    { class: 1, field: 0, hasmask: false, data: Buffer.alloc(256) },
  ];
  for (const f of bad) assert.throws(() => enc(encodeOxm, f), OfEncodeError, JSON.stringify(f, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
});

test('table-feature OXM ids: 32-bit headers, 64-bit for experimenters', () => {
  const cases: [string, OxmId][] = [
    ['80000004', { class: 'OPENFLOW_BASIC', field: 'in_port', hasmask: false, length: 4 }],
    ['8000070c', { class: 'OPENFLOW_BASIC', field: 'eth_dst', hasmask: true, length: 12 }],
    ['00010004', { class: 1, field: 0, hasmask: false, length: 4 }],
    ['ffff0008 4f4e4600', { class: 'EXPERIMENTER', field: 0, hasmask: false, length: 8, experimenter: 0x4f4e4600 }],
  ];
  for (const [bytes, id] of cases) {
    const r = reader(bytes);
    assert.deepEqual(decodeOxmId(r), id);
    assert.equal(r.remaining, 0);
    assert.equal(enc(encodeOxmId, id), bytes.replace(/\s+/g, ''));
  }
  assert.throws(() => decodeOxmId(reader('ffff0008 4f4e')), OfDecodeError);
  assert.throws(() => decodeOxmId(reader('8000')), OfDecodeError);
});
