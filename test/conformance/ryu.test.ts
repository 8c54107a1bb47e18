import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { decodeMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { corpusPath, manifest, readCorpus, readCorpusJson, reportTableAfter, sampleTest, withCorpus } from './corpus.js';
import { assertBytesEqual, assertMatches, ignoreNames } from './compare.js';
import { ryuToExpected } from './ryu-map.js';
import { BufferSource } from '../../src/capture/byte-source.js';
import { decodeCapture } from '../../src/capture/capture-decoder.js';

/** Every OpenFlow message in a capture, through the product's own reader (TCP streams, framing). */
function messagesOf(capture: Buffer): Buffer[] {
  const src = new BufferSource(capture);
  const out: Buffer[] = [];
  decodeCapture(src, src.take(4), {
    message: (bytes) => out.push(Buffer.from(bytes)),
    badLength: (bytes) => out.push(Buffer.from(bytes)),
    notice: () => {},
  });
  return out;
}

const RYU_SAMPLES = 105;

/** Derived names, and ofp_switch_features.reserved, which Ryu's parser reads past unprinted. */
const ryuUnprinted = (k: string): boolean => ignoreNames(k) || k === 'reserved';
const RYU_PCAPS = 3;

withCorpus('ryu', RYU_SAMPLES, () => {
  for (const m of manifest().filter((e) => e.corpus === 'ryu')) {
    const name = m.file.replace(/^.*\//, '');
    const cut = m.truncate_to;
    if (cut !== undefined) {
      sampleTest('ryu', `ryu ${name} cut to ${cut} bytes: truncation gives OfDecodeError`, () => {
        const bytes = readCorpus(m.file);
        assert.ok(bytes.readUInt16BE(2) > cut, 'the header announces more than the cut keeps');
        assert.throws(() => decodeMessage(bytes.subarray(0, cut)), OfDecodeError);
      });
      continue;
    }
    sampleTest('ryu', `ryu ${name}: every field equals Ryu's JSON`, () => {
      const decoded = decodeMessage(readCorpus(m.file));
      const expected = ryuToExpected(readCorpusJson(m.expected[0]!), m.xid);
      assertMatches(decoded, expected, { ignoreExtra: ryuUnprinted });
    });
  }
});

withCorpus('ryu-pcap', RYU_PCAPS, () => {
  for (const file of readdirSync(corpusPath('ryu/pcap')).filter((f) => f.endsWith('.pcap')).sort()) {
    const invalid = file.includes('invalid_version');
    sampleTest('ryu-pcap', `ryu pcap ${file}: ${invalid ? 'version 0xff is refused with OfDecodeError' : 'every message decodes, the same bytes as the corpus cut'}`, () => {
      const msgs = messagesOf(readCorpus(`ryu/pcap/${file}`));
      assert.ok(msgs.length > 0, 'no OpenFlow bytes found in the capture');
      for (const b of msgs) {
        if (invalid) {
          assert.equal(b[0], 0xff, 'the sample carries version 0xff');
          assert.throws(() => decodeMessage(b), (e: unknown) => e instanceof OfDecodeError && /version/i.test(e.reason));
        } else {
          decodeMessage(b);
        }
      }
      // The corpus cut the same messages out of the capture (and had tshark dissect them).
      const cut = `ryu/pcap/msgs_${file.replace(/^openflow_|\.pcap$/g, '')}`;
      if (!invalid) {
        const bins = readdirSync(corpusPath(cut)).filter((f) => f.endsWith('.bin')).sort();
        assert.equal(msgs.length, bins.length, `messages found vs ${cut}`);
        bins.forEach((f, i) => assertBytesEqual(msgs[i]!, readCorpus(`${cut}/${f}`), f));
      }
    });
  }
});

reportTableAfter('ryu');
