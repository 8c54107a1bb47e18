import { canEncode, decodeMessage, encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import type { MsgTypeName } from '../../protocol/constants.js';
import { listCorpus, manifest, readCorpus, reportTableAfter, sampleTest, withCorpus, type ManifestEntry } from './corpus.js';
import { assertBytesEqual } from './compare.js';
import { OFPT } from './of-names.js';

/** Samples known to be bad input (the cases that must give OfDecodeError elsewhere). */
function isInvalidSample(e: ManifestEntry): boolean {
  return e.truncate_to !== undefined || (e.version !== 4 && e.type !== 0) || e.version === 0xff ||
    (e.corpus === 'ovs' && /bad_(band|command|flags)/.test(e.file));
}

const KYTOS_DIR = 'kytos-python-openflow/raw/v0x04';
/** Samples of an encodable type (of the 340), for the notice when the corpus is absent. */
const ENCODABLE_SAMPLES = 242;

withCorpus('round trip', ENCODABLE_SAMPLES, () => {
  const samples: { corpus: string; file: string; typeName: string | undefined }[] = [];
  for (const e of manifest()) {
    if (e.corpus === 'kytos' || isInvalidSample(e) || e.whole_message !== true) continue;
    samples.push({ corpus: e.corpus, file: e.file, typeName: OFPT[e.type] });
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
      assertBytesEqual(again, bytes, s.file);
    });
  }
});

reportTableAfter('roundtrip');
