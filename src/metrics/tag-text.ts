/**
 * A tag set as InfluxDB line protocol writes it (`,k=v,...`: sorted, escaped). It lives with
 * the metrics because a remembered series makes its text once (Point.tagText); the sinks use
 * it from here, so imports keep flowing from metrics to sinks.
 */

// Newlines end a line in any position, escaped or not, so they cannot be carried at all.
export const NEWLINES = /[\r\n]/g;

/** Whether a tag key or value holds a comma, equals sign, space or newline. */
function special(s: string): boolean {
  // A loop, not a regular expression test: this runs for every tag of every new series.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 61 || c === 32 || c === 13 || c === 10) return true;
  }
  return false;
}

/** Tag keys and values: commas, equals signs and spaces are escaped. */
export function escapeTag(s: string): string {
  // Almost every tag (ids, numbers, booleans) has nothing to escape.
  if (!special(s)) return s;
  return s.replace(NEWLINES, ' ').replace(/[,= ]/g, (c) => '\\' + c);
}

/**
 * A key set seen before, in the order the tag builder gave it, with its sorted order and
 * escaped keys. Tag builders produce a handful of key sets, so the sorting and key escaping of
 * a 1,000,000-rule first round is done a handful of times (it was ~30 % of that round).
 */
interface KeySet {
  keys: readonly string[];
  order: readonly number[];
  /** `,key=` per sorted position. */
  heads: readonly string[];
}
const keySets: KeySet[] = [];
const MAX_KEY_SETS = 256;

function keySetOf(keys: readonly string[]): KeySet {
  for (const ks of keySets) {
    if (ks.keys.length !== keys.length) continue;
    let same = true;
    // Property names are internalized strings: comparing them is comparing pointers.
    for (let i = 0; i < keys.length && same; i++) same = ks.keys[i] === keys[i];
    if (same) return ks;
  }
  const order = keys.map((_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0));
  const ks = { keys: keys.slice(), order, heads: order.map((i) => `,${escapeTag(keys[i]!)}=`) };
  if (keySets.length < MAX_KEY_SETS) keySets.push(ks);
  return ks;
}

/** The `,k=v,...` part of a tag set, sorted and escaped (Point.tagText). */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags);
  const ks = keySetOf(keys);
  // Pieces joined once: one flat string (`+=` kept a tree of concatenations alive per series).
  const parts: string[] = [];
  for (let j = 0; j < ks.order.length; j++) {
    const k = keys[ks.order[j]!]!;
    const v = tags[k];
    if (v === undefined || v === '' || k === '') continue;
    parts.push(ks.heads[j]!, escapeTag(v));
  }
  return parts.join('');
}

/**
 * The tags a tag text describes (formatTags' inverse: escapes undone). Tags are kept as text
 * alone by the series memory; objects are made only for the consumers that want them.
 */
export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  let i = text.startsWith(',') ? 1 : 0;
  let key = '';
  let cur = '';
  let inKey = true;
  for (; i <= text.length; i++) {
    const c = text[i];
    // Only `\,`, `\=` and `\ ` are escapes; any other backslash is itself (InfluxDB reads it so).
    if (c === '\\' && (text[i + 1] === ',' || text[i + 1] === '=' || text[i + 1] === ' ')) {
      cur += text[++i];
    } else if (c === undefined || c === ',') {
      if (!inKey && key !== '') tags[key] = cur;
      key = '';
      cur = '';
      inKey = true;
    } else if (c === '=' && inKey) {
      key = cur;
      cur = '';
      inKey = false;
    } else {
      cur += c;
    }
  }
  return tags;
}
