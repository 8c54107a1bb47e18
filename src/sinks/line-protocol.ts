/**
 * InfluxDB line protocol: `measurement,tag=v,... value=<int>i <ms timestamp>`.
 * Timestamps are milliseconds since the epoch: write them with `precision=ms`
 * (`influx -precision ms`, HTTP `/write?precision=ms`, Telegraf `precision = "1ms"`).
 */
import type { Point } from '../metrics/types.js';
import { escapeTag, formatTags, NEWLINES } from '../metrics/tag-text.js';

export { escapeTag, formatTags };

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Measurement: commas and spaces are escaped. */
export function escapeMeasurement(s: string): string {
  return s.replace(NEWLINES, ' ').replace(/[, ]/g, (c) => '\\' + c);
}

/**
 * formatTags memoised per tags object, for points that come without tagText: producers hand
 * the same frozen-in-practice tag objects again and again (points are never re-tagged in
 * place), and escaping and sorting every tag of every point was most of a 100,000-rule
 * poll's CPU.
 */
const tagTexts = new WeakMap<object, string>();
function tagText(tags: Readonly<Record<string, string>>): string {
  let text = tagTexts.get(tags);
  if (text === undefined) tagTexts.set(tags, (text = formatTags(tags)));
  return text;
}

// A batch's points share one timestamp: its text is made once, not per point.
let lastTs = NaN;
let lastTsText = '';
function timestampText(ts: number): string {
  if (ts !== lastTs) {
    lastTs = ts;
    lastTsText = String(Math.trunc(ts));
  }
  return lastTsText;
}

/** Escaped measurement names: a fixed set (the metric table times one prefix), bounded anyway. */
const measurements = new Map<string, string>();
function measurement(metric: string): string {
  let m = measurements.get(metric);
  if (m === undefined) {
    m = escapeMeasurement(metric);
    if (measurements.size < 10_000) measurements.set(metric, m);
  }
  return m;
}

/**
 * One line (no trailing newline), or undefined for a point line protocol cannot carry: an
 * integer field is a signed 64-bit value, a line needs a measurement and a time. Tags are
 * sorted by key, as InfluxDB recommends; tags with an empty value are left out, since line
 * protocol has no way to write them. The sinks write LineWriter's bytes, the same lines: this
 * is the form for one point (offline tools, tests).
 */
export function toLine(p: Point): string | undefined {
  if (p.value > INT64_MAX || p.value < INT64_MIN || p.metric === '' || !Number.isFinite(p.timestamp)) return undefined;
  return `${measurement(p.metric)}${p.tagText ?? tagText(p.tags)} value=${p.value}i ${timestampText(p.timestamp)}`;
}

/** The JSON form: one object per line; the value as a decimal string, exact whatever its size. */
export function toJsonLine(p: Point): string {
  return JSON.stringify({ metric: p.metric, tags: p.tags, value: p.value.toString(), timestamp: p.timestamp });
}
