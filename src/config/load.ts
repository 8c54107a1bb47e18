/**
 * Reading the YAML config: every problem (unreadable file, YAML syntax, unknown key, wrong
 * type) becomes one ConfigError whose message names the file, line and key path.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { CONFIG_SCHEMA, type FileConfig } from './schema.js';

/** A configuration the operator must fix: exit status 2, the message, no stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile<FileConfig>(CONFIG_SCHEMA);

export function loadConfigFile(path: string): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`config ${path}: cannot read the file (${code ?? (e as Error).message})`);
  }
  return parseConfig(text, path);
}

export function parseConfig(text: string, source: string): FileConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const msgs = doc.errors.slice(0, 5).map((e) => {
      const at = e.linePos?.[0];
      const where = at ? `${source}:${at.line}:${at.col}` : source;
      return `config ${where}: YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new ConfigError(msgs.join('\n'));
  }
  // An empty file is an empty config, not an error.
  const value: unknown = doc.toJS({ mapAsMap: false, maxAliasCount: 100 }) ?? {};
  if (!validate(value)) {
    // Errors inside propertyNames come twice (the pattern, then propertyNames): keep the latter.
    const errors = (validate.errors ?? []).filter((e) => (e as { propertyName?: string }).propertyName === undefined);
    const msgs = errors.slice(0, 10).map((e) => describe(e, doc, lines, source));
    throw new ConfigError([...new Set(msgs)].join('\n'));
  }
  return value;
}

function describe(e: ErrorObject, doc: Document, lines: LineCounter, source: string): string {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let keyPath = path;
  let reason: string;
  let offset: number | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      keyPath = [...path, key];
      reason = `unknown key "${key}"`;
      offset = keyOffset(doc, path, key);
      break;
    }
    case 'propertyNames': {
      const key = String((e.params as { propertyName: string }).propertyName);
      keyPath = [...path, key];
      reason = `"${key}" is not a datapath id (16 hex digits, 0x..., aa:bb:...:hh or SW + 16 hex digits)`;
      offset = keyOffset(doc, path, key);
      break;
    }
    case 'enum':
      reason = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
      break;
    case 'type':
      reason = `must be ${String((e.params as { type: string | string[] }).type).replace(',', ' or ')}`;
      break;
    default:
      reason = e.message ?? e.keyword;
  }
  if (offset === undefined) offset = valueOffset(doc, path);
  const pos = offset !== undefined ? lines.linePos(offset) : undefined;
  const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
  const key = keyPath.length ? keyPath.join('.') : '(top level)';
  return `config ${where}: ${key}: ${reason}`;
}

/** The node at a JSON pointer's segments: an index in a sequence, a key (even "0001") in a map. */
function nodeAt(doc: Document, path: string[]): unknown {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isSeq(node)) node = node.items[Number(seg)];
    else if (isMap(node)) node = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg)?.value;
    else return undefined;
  }
  return node;
}

function valueOffset(doc: Document, path: string[]): number | undefined {
  const range = (nodeAt(doc, path) as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function keyOffset(doc: Document, path: string[], key: string): number | undefined {
  const parent = nodeAt(doc, path);
  if (!isMap(parent)) return valueOffset(doc, path);
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key.range?.[0];
  }
  return valueOffset(doc, path);
}
