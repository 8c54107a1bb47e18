/**
 * A tag set as InfluxDB line protocol writes it (`,k=v,...`: sorted, escaped). It lives with
 * the metrics because a remembered series makes its text once (Point.tagText); the sinks use
 * it from here, so imports keep flowing from metrics to sinks.
 */

// Newlines end a line in any position, escaped or not, so they cannot be carried at all.
export const NEWLINES = /[\r\n]/g;

const TAG_SPECIAL = /[,= \r\n]/;

/** Tag keys and values: commas, equals signs and spaces are escaped. */
export function escapeTag(s: string): string {
  // Almost every tag (ids, numbers, booleans) has nothing to escape: one test instead of two replaces.
  if (!TAG_SPECIAL.test(s)) return s;
  return s.replace(NEWLINES, ' ').replace(/[,= ]/g, (c) => '\\' + c);
}

/** The `,k=v,...` part of a tag set, sorted and escaped (Point.tagText). */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags);
  // Tag builders list their keys in a fixed order, often sorted already: check before sorting.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  // Pieces joined once: one flat string, no `k=v` string per tag (this runs for every rule a
  // switch reports the first time; `+=` kept a tree of concatenations alive per series).
  const parts: string[] = [];
  for (const k of keys) {
    const v = tags[k];
    if (v === undefined || v === '' || k === '') continue;
    parts.push(',', escapeTag(k), '=', escapeTag(v));
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
    if (c === '\\' && i + 1 < text.length) {
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
