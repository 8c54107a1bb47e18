import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { corpusPath, manifest, readCorpus, reportTableAfter, sampleTest, withCorpus } from './corpus.js';
import { assertAgreesWithOvs } from './ovs-facts.js';

const OVS_SAMPLES = 42;

withCorpus('ovs', OVS_SAMPLES, () => {
  for (const e of manifest().filter((x) => x.corpus === 'ovs')) {
    const name = e.file.replace(/^.*\//, '');
    const text = readFileSync(corpusPath(e.expected[0]!), 'utf8');
    if (text.includes('***decode error')) {
      const reason = /decode error: (\w+)/.exec(text)?.[1];
      sampleTest('ovs', `ovs ${name}: invalid (${reason} for ovs-ofctl) gives OfDecodeError`, () => {
        assert.throws(() => decodeMessage(readCorpus(e.file)), OfDecodeError);
      });
      continue;
    }
    sampleTest('ovs', `ovs ${name}: the fields ovs-ofctl prints agree`, () => {
      assertAgreesWithOvs(text, decodeMessage(readCorpus(e.file)), true);
    });
  }
});

reportTableAfter('ovs');
