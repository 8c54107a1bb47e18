import assert from 'node:assert/strict';
import { decodeMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { listCorpus, manifest, readCorpus, readCorpusJson, reportTableAfter, sampleTest, withCorpus } from './corpus.js';
import { assertMatches } from './compare.js';
import { OFPMP, OFPT } from './of-names.js';
import { ofpPrint, ovsHeader } from './ovs-text.js';
import { assertAgreesWithOvs } from './ovs-facts.js';

const KYTOS_DIR = 'kytos-python-openflow/raw/v0x04';
const KYTOS_SAMPLES = 22;
const CAPTURE_SAMPLES = 105;

type Obj = Record<string, unknown>;
/** "MULTIPART_REPLY/FLOW" or "ECHO_REQUEST": the unit both sides are counted in. */
const kindOf = (type: string, mp: unknown) => (mp === undefined ? type : `${type}/${String(mp)}`);

function count(kinds: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...kinds].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** tshark's openflow_v4 tree (all values strings) → our type names, xid, multipart type and flags. */
function tsharkHeader(doc: Obj): Obj {
  const of = doc['openflow_v4'] as Record<string, string>;
  const type = OFPT[Number(of['openflow_v4.type'])]!;
  const out: Obj = { type, xid: Number(of['openflow_v4.xid']) };
  for (const dir of ['request', 'reply']) {
    const mp = of[`openflow_v4.multipart_${dir}.type`];
    if (mp !== undefined) {
      out['multipart_type'] = OFPMP[Number(mp)];
      out['flags'] = Number(of[`openflow_v4.multipart_${dir}.flags`]);
    }
  }
  return out;
}

function ourHeader(m: Obj, withFlags: boolean): Obj {
  const out: Obj = { type: m['type'], xid: m['xid'] };
  if (m['multipart_type'] !== undefined) {
    out['multipart_type'] = m['multipart_type'];
    if (withFlags) out['flags'] = m['flags'];
  }
  return out;
}

// Captures: the Ericsson session's messages and Ryu's two, each with tshark's dissection.
withCorpus('ericsson+ryu captures (tshark)', CAPTURE_SAMPLES, () => {
  const entries = manifest().filter((e) => e.corpus.startsWith('pcap:'));
  const ours: string[] = [];
  const theirs: string[] = [];
  for (const e of entries) {
    const name = e.file.replace(/^.*\//, '');
    if (e.version !== 4 && e.type !== 0) {
      // Not OpenFlow 1.3 (a 1.0 FEATURES_REQUEST): tshark has no openflow_v4 tree for it either.
      sampleTest('ericsson+ryu captures (tshark)', `capture ${name}: version ${e.version} ${e.type_name ?? `type ${e.type}`} is refused with OfDecodeError`, () => {
        assert.equal(e.expected.length, 0);
        assert.throws(() => decodeMessage(readCorpus(e.file)), (x: unknown) => x instanceof OfDecodeError && /version/.test(x.reason));
      });
      continue;
    }
    sampleTest('ericsson+ryu captures (tshark)', `capture ${name}: decodes; type, xid, multipart type and flags equal tshark's`, () => {
      const m = decodeMessage(readCorpus(e.file)) as unknown as Obj;
      if (e.expected.length === 0) {
        // A HELLO of another version: readable for negotiation, outside tshark's openflow_v4.
        assert.equal(m['type'], 'HELLO');
        return;
      }
      const t = tsharkHeader(readCorpusJson(e.expected[0]!) as Obj);
      assertMatches(ourHeader(m, true), t);
      ours.push(kindOf(m['type'] as string, m['multipart_type']));
      theirs.push(kindOf(t['type'] as string, t['multipart_type']));
    });
  }
  sampleTest('aggregate checks', 'captures: message and multipart type counts equal tshark\'s', () => {
    assert.equal(ours.length, entries.filter((e) => e.expected.length > 0).length, 'every dissected message was decoded');
    assert.deepEqual(count(ours), count(theirs));
  });
});

// kytos: real OVS ↔ POX messages, no expected values shipped; ovs-ofctl is asked here and now.
withCorpus('kytos (ovs-ofctl)', KYTOS_SAMPLES, () => {
  const ours: string[] = [];
  const theirs: string[] = [];
  const files = listCorpus(KYTOS_DIR, '.dat');
  for (const f of files) {
    sampleTest('kytos (ovs-ofctl)', `kytos ${f}: decodes; what ovs-ofctl ofp-print prints agrees`, () => {
      const bytes = readCorpus(`${KYTOS_DIR}/${f}`);
      const m = decodeMessage(bytes) as unknown as Obj;
      assert.equal(bytes.readUInt16BE(2), bytes.length, 'one whole message per file');
      const text = ofpPrint(bytes);
      assertAgreesWithOvs(text, m, false);
      const h = ovsHeader(text);
      ours.push(kindOf(m['type'] as string, m['multipart_type']));
      theirs.push(kindOf(h.type, h.multipart_type));
    });
  }
  sampleTest('aggregate checks', 'kytos: message and multipart type counts equal ovs-ofctl\'s', () => {
    assert.equal(ours.length, files.length, 'every file was decoded');
    assert.deepEqual(count(ours), count(theirs));
  });
});

reportTableAfter('kytos-ericsson');
