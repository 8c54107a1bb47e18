/**
 * The Ryu samples of the message types whose structures live here (flow/group/meter mods,
 * packet in/out, flow removed, and ovs-ofctl's action_* / match_* flow mods), decoded and
 * compared field by field with Ryu's own JSON, then re-encoded byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError } from '../errors.js';
import { readHeader } from '../header.js';
import type { Family, MessageBase } from '../family.js';
import { encodeMatch, type Match } from './match.js';
import { actionTypeCode, encodeAction, encodeActions, type Action } from './actions.js';
import { encodeInstruction, encodeInstructions, instructionTypeCode, type Instruction } from './instructions.js';
import { encodeBucket, encodeBuckets, type Bucket } from './bucket.js';
import { encodeMeterBand, encodeMeterBands, type MeterBand } from './meter-band.js';
import type { OxmField } from './oxm.js';
import * as flowMod from '../messages/flow-mod/index.js';
import * as packetOut from '../messages/packet-out/index.js';
import * as packetIn from '../messages/packet-in/index.js';
import * as flowRemoved from '../messages/flow-removed/index.js';
import * as groupMod from '../messages/group-mod/index.js';
import * as meterMod from '../messages/meter-mod/index.js';
import { parseJsonBig } from '../../test/conformance/bigjson.js';
import { CORPUS_ROOT } from '../../test/conformance/corpus.js';

const corpus = CORPUS_ROOT;
const dataDir = path.join(corpus, 'ryu/packet_data/of13');
const jsonDir = path.join(corpus, 'ryu/json/of13');

const FAMILIES = new Map<number, Family<MessageBase>>();
for (const m of [flowMod, packetOut, packetIn, flowRemoved, groupMod, meterMod]) {
  for (const f of m.families as readonly unknown[] as readonly Family<MessageBase>[]) FAMILIES.set(f.code, f);
}

/** Decodes with this folder's own families, so the test does not lean on the rest of the registry. */
function decode(buf: Buffer): Record<string, unknown> {
  const h = readHeader(buf);
  const fam = FAMILIES.get(h.type);
  assert.ok(fam, `message type ${h.type}`);
  return { type: fam.name, ...fam.decode(new Reader(buf, 8, h.length, 0), h) } as Record<string, unknown>;
}

type Json = Record<string, unknown>;
/** Ryu tags every struct as {"ClassName": {...}}. */
function untag(v: unknown): [string, Json] {
  const entries = Object.entries(v as Json);
  assert.equal(entries.length, 1);
  return entries[0] as [string, Json];
}

function sameNumber(ours: unknown, theirs: unknown, where: string): void {
  assert.ok(typeof ours === 'number' || typeof ours === 'bigint', `${where}: ours is ${typeof ours}`);
  assert.ok(typeof theirs === 'number' || typeof theirs === 'bigint', `${where}: Ryu's is ${typeof theirs}`);
  assert.equal(BigInt(ours), BigInt(theirs), where);
}

function encoded<T>(fn: (w: Writer, v: T) => void, v: T): Buffer {
  const w = new Writer();
  fn(w, v);
  return w.finish();
}

/**
 * OVS's own classes (NXM_OF 0x0000, NXM_NX 0x0001) that Ryu names; our codec keeps them
 * opaque, so the test checks class/field and reads the payload the way OVS's meta-flow does.
 */
const NXM: Record<string, [cls: number, field: number, kind: 'uint' | 'ipv4']> = {
  reg0: [1, 0, 'uint'], reg1: [1, 1, 'uint'], reg2: [1, 2, 'uint'], reg5: [1, 5, 'uint'],
  tun_ipv4_src: [1, 31, 'ipv4'], tun_ipv4_dst: [1, 32, 'ipv4'], pkt_mark: [1, 33, 'uint'],
  conj_id: [1, 37, 'uint'], ct_state: [1, 105, 'uint'], ct_mark: [1, 107, 'uint'],
};

/** ONF's OpenFlow 1.3 extension OXMs (class 0xFFFF): experimenter id, then a 16-bit exp_type. */
const ONF_EXPERIMENTER = 0x4f4e4600;
const ONF: Record<string, number> = { pbb_uca: 2560 };

function opaqueValue(b: Buffer, kind: 'uint' | 'ipv4'): bigint | string {
  if (kind === 'ipv4') return [...b].join('.');
  return b.length === 0 ? 0n : BigInt('0x' + b.toString('hex'));
}

function compareOxm(ours: OxmField, ryu: unknown, where: string): void {
  const [cls, t] = untag(ryu);
  assert.equal(cls, 'OXMTlv', where);
  const name = t.field as string;
  if (ours.class === 'OPENFLOW_BASIC') {
    assert.equal(ours.field, name, `${where} field`);
    compareScalar(ours.value, t.value, `${where} ${name} value`);
    if (t.mask === null) assert.equal(ours.mask, undefined, `${where} ${name} mask`);
    else compareScalar(ours.mask, t.mask, `${where} ${name} mask`);
    return;
  }
  if (ours.class === 'EXPERIMENTER') {
    assert.ok(ONF[name] !== undefined, `${where}: Ryu's ${name} is an experimenter OXM the test does not know`);
    assert.equal(ours.experimenter, ONF_EXPERIMENTER, `${where} ${name} experimenter`);
    assert.equal(ours.data.readUInt16BE(0), ONF[name], `${where} ${name} exp_type`);
    assert.equal(t.mask, null, `${where} ${name} mask`);
    compareScalar(opaqueValue(ours.data.subarray(2), 'uint'), t.value, `${where} ${name} value`);
    return;
  }
  const nx = NXM[name];
  assert.ok(nx, `${where}: Ryu's ${name} is opaque for us and missing from the test's NXM table`);
  assert.ok(typeof ours.class === 'number', `${where} ${name}`);
  assert.deepEqual([ours.class, ours.field], [nx[0], nx[1]], `${where} ${name} class/field`);
  const half = ours.hasmask ? ours.data.length / 2 : ours.data.length;
  compareScalar(opaqueValue(ours.data.subarray(0, half), nx[2]), t.value, `${where} ${name} value`);
  if (t.mask === null) assert.equal(ours.hasmask, false, `${where} ${name} hasmask`);
  else compareScalar(opaqueValue(ours.data.subarray(half), nx[2]), t.mask, `${where} ${name} mask`);
}

function compareScalar(ours: unknown, theirs: unknown, where: string): void {
  if (typeof theirs === 'string') assert.equal(ours, theirs, where);
  else sameNumber(ours, theirs, where);
}

function compareMatch(ours: Match, ryu: unknown, where: string): void {
  const [cls, m] = untag(ryu);
  assert.equal(cls, 'OFPMatch', where);
  assert.equal(ours.type, m.type, `${where} type`);
  sameNumber(encoded(encodeMatch, ours).readUInt16BE(2), m.length, `${where} length`);
  const list = m.oxm_fields as unknown[];
  assert.equal(ours.oxm_fields.length, list.length, `${where} field count`);
  ours.oxm_fields.forEach((f, i) => compareOxm(f, list[i], `${where}.oxm_fields[${i}]`));
}

/** Keys Ryu prints that are the structure's own bookkeeping, checked through the encoder instead. */
const IMPLIED = new Set(['len', 'length', 'type', 'actions_len']);

function compareAction(ours: Action, ryu: unknown, where: string): void {
  const [cls, a] = untag(ryu);
  const ourType = typeof ours.type === 'number' ? ours.type : actionTypeCode(ours.type);
  assert.equal(ourType, a.type, `${where} ${cls} type`);
  sameNumber(encoded(encodeAction, ours).readUInt16BE(2), a.len, `${where} ${cls} len`);
  if (ours.type === 'EXPERIMENTER') {
    // Ryu parses OVS's NX actions; we keep them opaque with their experimenter id.
    sameNumber(ours.experimenter, a.experimenter, `${where} ${cls} experimenter`);
    if (cls === 'OFPActionExperimenterUnknown') {
      assert.equal(ours.data.toString('base64'), a.data, `${where} data`);
    }
    return;
  }
  if (ours.type === 'SET_FIELD') {
    compareOxm(ours.field, a.field, `${where}.field`);
    return;
  }
  const o = ours as unknown as Json;
  for (const [k, v] of Object.entries(a)) {
    if (IMPLIED.has(k)) continue;
    sameNumber(o[k], v, `${where} ${cls}.${k}`);
  }
  assert.equal(Object.keys(o).length - 1, Object.keys(a).filter((k) => !IMPLIED.has(k)).length, `${where} ${cls} keys`);
}

function compareActions(ours: Action[], ryu: unknown, where: string): void {
  const list = ryu as unknown[];
  assert.equal(ours.length, list.length, `${where} count`);
  ours.forEach((a, i) => compareAction(a, list[i], `${where}[${i}]`));
}

function compareInstruction(ours: Instruction, ryu: unknown, where: string): void {
  const [cls, t] = untag(ryu);
  const ourType = typeof ours.type === 'number' ? ours.type : instructionTypeCode(ours.type);
  assert.equal(ourType, t.type, `${where} ${cls} type`);
  sameNumber(encoded(encodeInstruction, ours).readUInt16BE(2), t.len, `${where} ${cls} len`);
  switch (ours.type) {
    case 'WRITE_ACTIONS':
    case 'APPLY_ACTIONS':
      compareActions(ours.actions, t.actions, `${where}.actions`);
      return;
    case 'CLEAR_ACTIONS':
      assert.deepEqual(t.actions, [], where);
      return;
    case 'GOTO_TABLE':
      sameNumber(ours.table_id, t.table_id, `${where} table_id`);
      return;
    case 'WRITE_METADATA':
      sameNumber(ours.metadata, t.metadata, `${where} metadata`);
      sameNumber(ours.metadata_mask, t.metadata_mask, `${where} metadata_mask`);
      return;
    case 'METER':
      sameNumber(ours.meter_id, t.meter_id, `${where} meter_id`);
      return;
    default:
      assert.fail(`${where}: unexpected instruction ${String(ours.type)} for Ryu's ${cls}`);
  }
}

function compareBucket(ours: Bucket, ryu: unknown, where: string): void {
  const [cls, b] = untag(ryu);
  assert.equal(cls, 'OFPBucket', where);
  sameNumber(encoded(encodeBucket, ours).readUInt16BE(0), b.len, `${where} len`);
  for (const k of ['weight', 'watch_port', 'watch_group'] as const) sameNumber(ours[k], b[k], `${where} ${k}`);
  compareActions(ours.actions, b.actions, `${where}.actions`);
}

const BAND_TYPES: Record<string, number> = { DROP: 1, DSCP_REMARK: 2, EXPERIMENTER: 0xffff };
function compareBand(ours: MeterBand, ryu: unknown, where: string): void {
  const [cls, b] = untag(ryu);
  assert.equal(typeof ours.type === 'number' ? ours.type : BAND_TYPES[ours.type], b.type, `${where} ${cls} type`);
  sameNumber(encoded(encodeMeterBand, ours).readUInt16BE(2), b.len, `${where} len`);
  const o = ours as unknown as Json;
  for (const [k, v] of Object.entries(b)) if (!IMPLIED.has(k)) sameNumber(o[k], v, `${where} ${cls}.${k}`);
}

/** Message-level keys renamed to avoid the envelope's `type`. */
const RENAMED: Record<string, string> = { type: 'group_type' };

function compareMessage(ours: Json, ryu: unknown, file: string): void {
  const [, body] = untag(ryu);
  for (const [k, v] of Object.entries(body)) {
    const where = `${file} ${k}`;
    if (k === 'actions_len') continue; // checked by the byte-exact re-encoding below
    if (k === 'match') compareMatch(ours.match as Match, v, where);
    else if (k === 'instructions') {
      const list = v as unknown[];
      const mine = ours.instructions as Instruction[];
      assert.equal(mine.length, list.length, `${where} count`);
      mine.forEach((x, i) => compareInstruction(x, list[i], `${where}[${i}]`));
    } else if (k === 'actions') compareActions(ours.actions as Action[], v, where);
    else if (k === 'buckets') {
      const list = v as unknown[];
      const mine = ours.buckets as Bucket[];
      assert.equal(mine.length, list.length, `${where} count`);
      mine.forEach((x, i) => compareBucket(x, list[i], `${where}[${i}]`));
    } else if (k === 'bands') {
      const list = v as unknown[];
      const mine = ours.bands as MeterBand[];
      assert.equal(mine.length, list.length, `${where} count`);
      mine.forEach((x, i) => compareBand(x, list[i], `${where}[${i}]`));
    } else if (k === 'data') {
      // Ryu sometimes prints the packet parsed by its packet library instead of base64.
      if (typeof v === 'string') assert.equal((ours.data as Buffer).toString('base64'), v, where);
      else assert.ok(Buffer.isBuffer(ours.data) && ours.data.length > 0, where);
    }
    else sameNumber(ours[RENAMED[k] ?? k], v, where);
  }
}

/** The byte range holding the TLV structures of each message, and how to re-encode it. */
function reencodeStructs(ours: Json, buf: Buffer): [Buffer, Buffer] {
  switch (ours.type) {
    case 'FLOW_MOD': {
      const w = new Writer();
      encodeMatch(w, ours.match as Match);
      encodeInstructions(w, ours.instructions as Instruction[]);
      return [w.finish(), buf.subarray(48)];
    }
    case 'PACKET_OUT':
      return [encoded(encodeActions, ours.actions as Action[]), buf.subarray(24, 24 + buf.readUInt16BE(16))];
    case 'GROUP_MOD':
      return [encoded(encodeBuckets, ours.buckets as Bucket[]), buf.subarray(16)];
    case 'METER_MOD':
      return [encoded(encodeMeterBands, ours.bands as MeterBand[]), buf.subarray(16)];
    case 'PACKET_IN':
      return [encoded(encodeMatch, ours.match as Match), buf.subarray(24, buf.length - (ours.data as Buffer).length - 2)];
    case 'FLOW_REMOVED':
      return [encoded(encodeMatch, ours.match as Match), buf.subarray(48)];
    default:
      throw new Error(`no structure range for ${String(ours.type)}`);
  }
}

const WANTED = /(flow_mod|packet_in|packet_out|flow_removed|group_mod|meter_mod|-action_|-match_)/;

if (!existsSync(dataDir)) {
  console.log(`# Ryu corpus not found at ${dataDir} (set OFSTATS_CORPUS): its structure cases are not run here`);
} else {
  const files = readdirSync(dataDir).filter((f) => f.endsWith('.packet') && WANTED.test(f)).sort();

  test('the Ryu corpus has the samples this suite expects', () => {
    assert.ok(files.length >= 40, `${files.length} samples`);
  });

  for (const file of files) {
    test(`Ryu ${file}: fields equal Ryu's JSON, structures re-encode byte for byte`, () => {
      const buf = readFileSync(path.join(dataDir, file));
      const ours = decode(buf);
      const ryu = parseJsonBig(readFileSync(path.join(jsonDir, `${file}.json`), 'utf8'));
      compareMessage(ours, ryu, file);
      const [again, original] = reencodeStructs(ours, buf);
      assert.equal(again.toString('hex'), original.toString('hex'));
    });
  }

  test('Ryu libofproto-OFP13-flow_mod truncated to 64 bytes gives OfDecodeError', () => {
    // The corpus's truncated64 case: the first 64 bytes of the flow mod, header unchanged.
    const buf = readFileSync(path.join(dataDir, 'libofproto-OFP13-flow_mod.packet')).subarray(0, 64);
    const fam = FAMILIES.get(buf[1]!)!;
    assert.throws(() => fam.decode(new Reader(buf, 8, buf.length, 0), readHeader(buf)), OfDecodeError);
  });
}
