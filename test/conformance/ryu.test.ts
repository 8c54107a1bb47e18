import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { decodeMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { corpusPath, manifest, readCorpus, readCorpusJson, reportTableAfter, sampleTest, withCorpus } from './corpus.js';
import { assertMatches, ignoreNames } from './compare.js';
import { ryuToExpected } from './ryu-map.js';
import { splitMessages, tcpFlowsFromPcap } from './pcap-lite.js';

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
    sampleTest('ryu-pcap', `ryu pcap ${file}: ${invalid ? 'version 0xff is refused with OfDecodeError' : 'every message decodes'}`, () => {
      const msgs = tcpFlowsFromPcap(readCorpus(`ryu/pcap/${file}`)).flatMap((f) => splitMessages(f.bytes));
      assert.ok(msgs.length > 0, 'no OpenFlow bytes found in the capture');
      for (const b of msgs) {
        if (invalid) {
          assert.equal(b[0], 0xff, 'the sample carries version 0xff');
          assert.throws(() => decodeMessage(b), (e: unknown) => e instanceof OfDecodeError && /version/i.test(e.reason));
        } else {
          decodeMessage(b);
        }
      }
    });
  }
});

reportTableAfter('ryu');
