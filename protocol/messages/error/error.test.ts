import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, corpusTest, encode, ofpPrint, readCorpusJson, type Expected } from '../corpus-support.js';
import {
  ERROR_TABLE,
  OFPBRC,
  OFPET,
  OFPHFC,
  OFPRRFC,
  errorMessage,
  isError,
  requestData,
  type ErrorMessage,
  type StandardErrorTypeName,
} from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const decode = (s: string) => decodeMessage(hex(s)) as ErrorMessage;

// ofp_error_msg (§7.4.4): type u16, code u16, data.
test('a standard error gets its type and code named, data kept', () => {
  const m = decode('04 01 0010 00000007  0001 000a  04120010');
  assert.deepEqual(
    { ...m, data: m.data.toString('hex') },
    { version: 4, type: 'ERROR', xid: 7, error_type: 1, error_type_name: 'BAD_REQUEST', code: 10, code_name: 'IS_SLAVE', data: '04120010' },
  );
  assert.ok(isError(m, 'BAD_REQUEST', 'IS_SLAVE'));
  assert.ok(!isError(m, 'BAD_REQUEST', 'BAD_TYPE'));
});

test('an undefined type or code decodes with the numbers only and re-encodes unchanged', () => {
  for (const s of ['04 01 000c 00000001  0020 0005', '04 01 000e 00000001  0001 0063 abcd']) {
    const m = decode(s);
    assert.equal('code_name' in m, false);
    assert.deepEqual(encode(m), hex(s));
  }
  assert.equal('error_type_name' in decode('04 01 000c 00000001  0020 0005'), false);
});

// ofp_error_experimenter_msg: type=0xffff, exp_type u16, experimenter u32, data.
test('an experimenter error carries exp_type and the experimenter id, no code', () => {
  const bytes = hex('04 01 0013 00000002  ffff 0102 00002320  616263');
  const m = decode(bytes.toString('hex'));
  assert.equal(m.error_type, 0xffff);
  assert.equal(m.error_type_name, 'EXPERIMENTER');
  assert.equal('exp_type' in m && m.exp_type, 0x0102);
  assert.equal('experimenter' in m && m.experimenter, 0x2320);
  assert.equal('code' in m, false);
  assert.deepEqual(encode(m), bytes);
});

test('truncated error bodies are typed decode errors', () => {
  for (const s of ['04 01 000b 00000001  0001 00', '04 01 000e 00000001  ffff 0001 0000']) {
    assert.throws(() => decode(s), OfDecodeError, s);
  }
});

test('constants the connection layer needs', () => {
  assert.equal(OFPET.HELLO_FAILED, 0);
  assert.equal(OFPHFC.INCOMPATIBLE, 0);
  assert.equal(OFPET.BAD_REQUEST, 1);
  assert.equal(OFPBRC.BAD_TYPE, 1);
  assert.equal(OFPBRC.BAD_MULTIPART, 2);
  assert.equal(OFPBRC.IS_SLAVE, 10);
  assert.equal(OFPET.ROLE_REQUEST_FAILED, 11);
  assert.equal(OFPRRFC.STALE, 0);
  assert.equal(OFPET.EXPERIMENTER, 0xffff);
});

test('errors we build are read by ovs-ofctl as the error we meant', () => {
  const hf = encode(errorMessage(3, 'HELLO_FAILED', 'INCOMPATIBLE', Buffer.from('we speak 0x04 only')));
  assert.match(ofpPrint(hf), /^OFPT_ERROR \(OF1\.3\) \(xid=0x3\): OFPHFC_INCOMPATIBLE\nwe speak 0x04 only\n$/);
  const req = hex('04 12 0010 00000009 000d 0000 00000000');
  const bt = encode(errorMessage(9, 'BAD_REQUEST', 'BAD_MULTIPART', requestData(req)));
  assert.match(ofpPrint(bt), /^OFPT_ERROR \(OF1\.3\) \(xid=0x9\): OFPBRC_BAD_STAT\n/);
  assert.throws(() => errorMessage(1, 'BAD_REQUEST', 'NO_SUCH_CODE' as 'BAD_TYPE'), RangeError);
});

test('requestData keeps the first 64 bytes of the failed request', () => {
  assert.equal(requestData(Buffer.alloc(100, 1)).length, 64);
  assert.equal(requestData(Buffer.alloc(10)).length, 10);
});

/**
 * loxigen's constants (OpenFlow 1.3.1 names) must agree with every code we name, and we must
 * name every code they list. 1.3.5 renamed four of them; the spec's names win.
 */
corpusTest('every error type and code agrees with loxigen’s OpenFlow 1.3 constants', () => {
  const lox = readCorpusJson('loxigen/loxigen-of13-constants.json') as Record<string, number>;
  const prefix: Record<StandardErrorTypeName, string> = {
    HELLO_FAILED: 'OFPHFC_',
    BAD_REQUEST: 'OFPBRC_',
    BAD_ACTION: 'OFPBAC_',
    BAD_INSTRUCTION: 'OFPBIC_',
    BAD_MATCH: 'OFPBMC_',
    FLOW_MOD_FAILED: 'OFPFMFC_',
    GROUP_MOD_FAILED: 'OFPGMFC_',
    PORT_MOD_FAILED: 'OFPPMFC_',
    TABLE_MOD_FAILED: 'OFPTMFC_',
    QUEUE_OP_FAILED: 'OFPQOFC_',
    SWITCH_CONFIG_FAILED: 'OFPSCFC_',
    ROLE_REQUEST_FAILED: 'OFPRRFC_',
    METER_MOD_FAILED: 'OFPMMFC_',
    TABLE_FEATURES_FAILED: 'OFPTFFC_',
  };
  const renamed: Record<string, string> = {
    OFPBRC_BAD_STAT: 'OFPBRC_BAD_MULTIPART',
    OFPBRC_BAD_EXPERIMENTER_TYPE: 'OFPBRC_BAD_EXP_TYPE',
    OFPBAC_BAD_EXPERIMENTER_TYPE: 'OFPBAC_BAD_EXP_TYPE',
    OFPBIC_BAD_EXPERIMENTER_TYPE: 'OFPBIC_BAD_EXP_TYPE',
  };
  const theirs = new Map<string, number>();
  for (const [k, v] of Object.entries(lox)) theirs.set(renamed[k] ?? k, v);
  const ours = new Map<string, number>();
  for (const [t, entry] of Object.entries(ERROR_TABLE)) {
    assert.equal(entry.type, theirs.get(`OFPET_${t}`), `OFPET_${t}`);
    for (const [c, v] of Object.entries(entry.codes)) ours.set(prefix[t as StandardErrorTypeName] + c, v);
  }
  assert.equal(theirs.get('OFPET_EXPERIMENTER'), OFPET.EXPERIMENTER);
  for (const [k, v] of ours) assert.equal(theirs.get(k), v, k);
  for (const [k, v] of theirs) {
    if (Object.values(prefix).some((p) => k.startsWith(p))) assert.equal(ours.get(k), v, `${k} missing from our table`);
  }
});

corpusSuite('ERROR', ['ERROR'], {
  // Ryu calls ofp_error_msg.type `type`; an experimenter error has code null.
  ryu: (j): Expected => {
    const { type, code, ...rest } = j;
    return { value: { error_type: type, ...(code === null ? {} : { code }), ...rest } as Record<string, unknown> };
  },
  // loxigen's class names the type: bad_match_error_msg → BAD_MATCH.
  loxigen: (j): Expected => {
    const cls = String(j['_class']).replace(/^message\./, '').replace(/_error_msg$/, '').toUpperCase();
    const { _class, ...rest } = j;
    return {
      value: { error_type_name: cls, code: rest['code'], data: Buffer.from(String(rest['data']), 'latin1') },
      ignore: (k) => k === 'error_type',
    };
  },
});
