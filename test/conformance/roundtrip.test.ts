import { canEncode, decodeMessage, encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import type { MsgTypeName } from '../../protocol/constants.js';
import assert from 'node:assert/strict';
import { listCorpus, manifest, readCorpus, readCorpusJson, reportTableAfter, sampleTest, withCorpus, type ManifestEntry } from './corpus.js';
import { assertBytesEqual, hexDiff } from './compare.js';
import { OFPT } from './of-names.js';

/** Samples known to be bad input (the cases that must give OfDecodeError elsewhere). */
function isInvalidSample(e: ManifestEntry): boolean {
  return e.truncate_to !== undefined || (e.version !== 4 && e.type !== 0) || e.version === 0xff ||
    (e.corpus === 'ovs' && /bad_(band|command|flags)/.test(e.file));
}

/**
 * A real switch (the Ericsson capture's CPqD softswitch) leaves stack garbage in pad bytes;
 * the spec says pads are zero and so does our encoder. Such a sample passes only if every
 * differing run is zero on our side and tshark, decoding independently, labels those very
 * bytes as padding.
 */
function assertOnlyPaddingDiffers(ours: Buffer, original: Buffer, tshark: unknown): void {
  const pads: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (/\.pad$/.test(k) && typeof x === 'string') pads.push(x);
        else walk(x);
      }
    }
  };
  walk(tshark);
  assert.equal(ours.length, original.length, `length differs\n${hexDiff(ours, original)}`);
  for (let i = 0; i < ours.length;) {
    if (ours[i] === original[i]) { i++; continue; }
    let j = i;
    while (j < ours.length && ours[j] !== original[j]) j++;
    const run = [...original.subarray(i, j)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    const zeros = ours.subarray(i, j).every((b) => b === 0);
    assert.ok(zeros && pads.some((p) => p.includes(run)), `bytes ${i}..${j - 1} differ and are not padding per tshark\n${hexDiff(ours, original)}`);
    i = j;
  }
}

const KYTOS_DIR = 'kytos-python-openflow/raw/v0x04';
/** Samples of an encodable type (of the 340), for the notice when the corpus is absent. */
const ENCODABLE_SAMPLES = 242;

withCorpus('round trip', ENCODABLE_SAMPLES, () => {
  const samples: { corpus: string; file: string; typeName: string | undefined; tshark?: string }[] = [];
  for (const e of manifest()) {
    if (e.corpus === 'kytos' || isInvalidSample(e) || e.whole_message !== true) continue;
    const tshark = e.expected.find((x) => x.endsWith('.tshark.json'));
    samples.push({ corpus: e.corpus, file: e.file, typeName: OFPT[e.type], ...(tshark ? { tshark } : {}) });
  }
  // The manifest has no header fields for kytos files: read the type from the bytes.
  for (const f of listCorpus(KYTOS_DIR, '.dat')) {
    const file = `${KYTOS_DIR}/${f}`;
    samples.push({ corpus: 'kytos', file, typeName: OFPT[readCorpus(file)[1]!] });
  }
  for (const s of samples) {
    if (s.typeName === undefined || !canEncode(s.typeName as MsgTypeName)) continue;
    sampleTest('round trip', `round trip ${s.file.replace(/^.*\//, '')} (${s.corpus}, ${s.typeName}): encode(decode(bytes)) == bytes`, () => {
      const bytes = readCorpus(s.file);
      const decoded = decodeMessage(bytes);
      const again = encodeMessage(decoded as EncodableMessage);
      if (s.tshark && Buffer.compare(again, bytes) !== 0) {
        assertOnlyPaddingDiffers(again, bytes, readCorpusJson(s.tshark));
        assert.deepEqual(decodeMessage(again), decoded, 're-encoded message decodes to the same value');
        return;
      }
      assertBytesEqual(again, bytes, s.file);
    });
  }
});

reportTableAfter('roundtrip');
