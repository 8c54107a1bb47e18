/**
 * The registry file: YAML or JSON (one parser: YAML 1.2 reads JSON, and with integers as
 * bigint a 64-bit cookie written as a bare JSON or YAML number stays exact). This module
 * checks the shape and normalises values (switch ids, cookies, default reverse paths); the
 * rules that need the whole network (positions, Y point, duplicates) are in build.ts.
 * README "Flow registry" documents the format; config/registry.example.yaml is an example.
 */
import { parseDocument, stringify } from 'yaml';
import { parseCookie } from './cookie-text.js';
import { RegistryError } from './errors.js';
import { normaliseSwitchId } from './switch-id.js';

export type Dir = 'forward' | 'reverse';
export const DIRS: readonly Dir[] = ['forward', 'reverse'];

export interface PathPair { forward: string[]; reverse: string[] }
export interface CookiePair { forward: bigint; reverse: bigint }
export interface MeterRef { switch: string; direction: Dir; id: number }
export interface ExtraCookie { switch: string; direction: Dir; cookie: bigint }
/** A Y-flow's or HA-flow's own meter or group: on a switch the paths determine. */
export interface PointRef { switch?: string; id: number }

export interface FlowDoc {
  id: string;
  path: PathPair;
  /** The rule of each direction, on every switch of that direction's path. */
  cookies: CookiePair;
  meters: MeterRef[];
  /** More rules of the flow on particular switches (satellites: mirror, loop, server42, Y-flow rules). */
  extra_cookies: ExtraCookie[];
}

export interface YFlowDoc {
  id: string;
  shared_switch?: string;
  y_point?: string;
  shared_meter?: PointRef;
  y_point_meter?: PointRef;
  sub_flows: FlowDoc[];
}

export interface HaFlowDoc {
  id: string;
  shared_switch?: string;
  y_point?: string;
  /** From the shared endpoint to the Y point (forward) and back. */
  shared_path: PathPair;
  shared_cookies: CookiePair;
  shared_meters: MeterRef[];
  y_point_meter?: PointRef;
  y_point_group?: PointRef;
  /** Each sub-flow's path runs from the Y point to its endpoint (forward) and back. */
  sub_flows: FlowDoc[];
}

export interface RegistryDoc {
  flows: FlowDoc[];
  y_flows: YFlowDoc[];
  ha_flows: HaFlowDoc[];
}

const OFPM_MAX = 0xffff0000;
const OFPG_MAX = 0xffffff00;

/** Collects problems, each prefixed with the entry it belongs to. */
class Checker {
  readonly problems: string[] = [];

  fail(where: string, path: string, msg: string): void {
    this.problems.push(`${where}${path ? `: ${path}` : ''}: ${msg}`);
  }

  /** A closed object: unknown keys and missing required keys are problems. */
  object(where: string, path: string, v: unknown, keys: readonly string[], required: readonly string[]): Record<string, unknown> | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(where, path, 'must be a mapping');
      return undefined;
    }
    const o = v as Record<string, unknown>;
    const at = (k: string) => (path ? `${path}.${k}` : k);
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail(where, at(k), `unknown key (expected one of ${keys.join(', ')})`);
    for (const k of required) if (o[k] === undefined || o[k] === null) this.fail(where, at(k), 'missing');
    return o;
  }

  list(where: string, path: string, v: unknown): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fail(where, path, 'must be a list');
      return [];
    }
    return v;
  }

  switchId(where: string, path: string, v: unknown): string | undefined {
    const s = normaliseSwitchId(v);
    if (s === undefined) this.fail(where, path, `${show(v)} is not a switch id (SW + 16 hex digits, 00:00:..:01, 0x.. or a decimal datapath id)`);
    return s;
  }

  cookie(where: string, path: string, v: unknown): bigint | undefined {
    const c = typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' ? parseCookie(String(v)) : undefined;
    if (c === undefined || (typeof v === 'number' && !Number.isSafeInteger(v))) {
      this.fail(where, path, `${show(v)} is not a 64-bit cookie (0x + up to 16 hex digits, or a decimal)`);
      return undefined;
    }
    return c;
  }

  int(where: string, path: string, v: unknown, min: number, max: number, what: string): number | undefined {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.fail(where, path, `${show(v)} is not a ${what} (an integer ${min}..${max})`);
      return undefined;
    }
    return n;
  }

  id(where: string, path: string, v: unknown): string | undefined {
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'bigint' || typeof v === 'number') return String(v);
    this.fail(where, path, `${show(v)} is not an id (a non-empty string)`);
    return undefined;
  }

  direction(where: string, path: string, v: unknown): Dir | undefined {
    if (v === 'forward' || v === 'reverse') return v;
    this.fail(where, path, `${show(v)} must be forward or reverse`);
    return undefined;
  }

  /** A path: switch ids in order, none twice. */
  path(where: string, path: string, v: unknown): string[] | undefined {
    if (!Array.isArray(v) || v.length === 0) {
      this.fail(where, path, 'must be a non-empty list of switch ids');
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    v.forEach((x, i) => {
      const s = this.switchId(where, `${path}[${i}]`, x);
      if (s === undefined) ok = false;
      else if (out.includes(s)) {
        this.fail(where, `${path}[${i}]`, `${s} is already at ${path}[${out.indexOf(s)}]: a path visits a switch once`);
        ok = false;
      } else out.push(s);
    });
    return ok ? out : undefined;
  }

  /** forward and reverse; reverse defaults to forward reversed. */
  pathPair(where: string, path: string, v: unknown): PathPair | undefined {
    const o = this.object(where, path, v, DIRS, ['forward']);
    if (!o) return undefined;
    const forward = this.path(where, `${path}.forward`, o.forward);
    const reverse = o.reverse === undefined ? forward && [...forward].reverse() : this.path(where, `${path}.reverse`, o.reverse);
    return forward && reverse ? { forward, reverse } : undefined;
  }

  cookiePair(where: string, path: string, v: unknown): CookiePair | undefined {
    const o = this.object(where, path, v, DIRS, DIRS);
    if (!o) return undefined;
    const forward = this.cookie(where, `${path}.forward`, o.forward);
    const reverse = this.cookie(where, `${path}.reverse`, o.reverse);
    return forward !== undefined && reverse !== undefined ? { forward, reverse } : undefined;
  }

  meters(where: string, path: string, v: unknown): MeterRef[] {
    const out: MeterRef[] = [];
    this.list(where, path, v).forEach((m, i) => {
      const p = `${path}[${i}]`;
      const o = this.object(where, p, m, ['switch', 'direction', 'id'], ['switch', 'direction', 'id']);
      if (!o) return;
      const sw = this.switchId(where, `${p}.switch`, o.switch);
      const direction = this.direction(where, `${p}.direction`, o.direction);
      const id = this.int(where, `${p}.id`, o.id, 1, OFPM_MAX, 'meter id');
      if (sw && direction && id !== undefined) out.push({ switch: sw, direction, id });
    });
    return out;
  }

  extraCookies(where: string, path: string, v: unknown): ExtraCookie[] {
    const out: ExtraCookie[] = [];
    this.list(where, path, v).forEach((m, i) => {
      const p = `${path}[${i}]`;
      const o = this.object(where, p, m, ['switch', 'direction', 'cookie'], ['switch', 'direction', 'cookie']);
      if (!o) return;
      const sw = this.switchId(where, `${p}.switch`, o.switch);
      const direction = this.direction(where, `${p}.direction`, o.direction);
      const cookie = this.cookie(where, `${p}.cookie`, o.cookie);
      if (sw && direction && cookie !== undefined) out.push({ switch: sw, direction, cookie });
    });
    return out;
  }

  point(where: string, path: string, v: unknown, max: number, what: string): PointRef | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.object(where, path, v, ['switch', 'id'], ['id']);
    if (!o) return undefined;
    const sw = o.switch === undefined ? undefined : this.switchId(where, `${path}.switch`, o.switch);
    const id = this.int(where, `${path}.id`, o.id, 0, max, what);
    if (id === undefined) return undefined;
    return sw === undefined ? { id } : { switch: sw, id };
  }

  optionalSwitch(where: string, path: string, v: unknown): string | undefined {
    return v === undefined || v === null ? undefined : this.switchId(where, path, v);
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'a list' : 'a mapping';
}

/** `flows[2] (id "f-7")`: how every message names an entry. */
export function entryName(list: string, index: number, id: unknown, parent?: string): string {
  const own = `${list}[${index}]${typeof id === 'string' || typeof id === 'bigint' || typeof id === 'number' ? ` (id "${String(id)}")` : ''}`;
  return parent ? `${parent}: ${own}` : own;
}

const FLOW_KEYS = ['id', 'path', 'cookies', 'meters', 'extra_cookies'];

function flowEntry(ck: Checker, where: string, v: unknown): FlowDoc | undefined {
  const o = ck.object(where, '', v, FLOW_KEYS, ['id', 'path', 'cookies']);
  if (!o) return undefined;
  const id = ck.id(where, 'id', o.id);
  const path = ck.pathPair(where, 'path', o.path);
  const cookies = ck.cookiePair(where, 'cookies', o.cookies);
  const meters = ck.meters(where, 'meters', o.meters);
  const extra = ck.extraCookies(where, 'extra_cookies', o.extra_cookies);
  if (id === undefined || !path || !cookies) return undefined;
  return { id, path, cookies, meters, extra_cookies: extra };
}

function subFlows(ck: Checker, where: string, v: unknown): FlowDoc[] {
  const out: FlowDoc[] = [];
  ck.list(where, 'sub_flows', v).forEach((s, i) => {
    const f = flowEntry(ck, entryName('sub_flows', i, (s as { id?: unknown } | null)?.id, where), s);
    if (f) out.push(f);
  });
  return out;
}

function yFlowEntry(ck: Checker, where: string, v: unknown): YFlowDoc | undefined {
  const o = ck.object(where, '', v, ['id', 'shared_switch', 'y_point', 'shared_meter', 'y_point_meter', 'sub_flows'], ['id', 'sub_flows']);
  if (!o) return undefined;
  const id = ck.id(where, 'id', o.id);
  const y: YFlowDoc = {
    id: id ?? '',
    shared_switch: ck.optionalSwitch(where, 'shared_switch', o.shared_switch),
    y_point: ck.optionalSwitch(where, 'y_point', o.y_point),
    shared_meter: ck.point(where, 'shared_meter', o.shared_meter, OFPM_MAX, 'meter id'),
    y_point_meter: ck.point(where, 'y_point_meter', o.y_point_meter, OFPM_MAX, 'meter id'),
    sub_flows: subFlows(ck, where, o.sub_flows),
  };
  return id === undefined ? undefined : dropUndefined(y);
}

function haFlowEntry(ck: Checker, where: string, v: unknown): HaFlowDoc | undefined {
  const keys = ['id', 'shared_switch', 'y_point', 'shared_path', 'shared_cookies', 'shared_meters', 'y_point_meter', 'y_point_group', 'sub_flows'];
  const o = ck.object(where, '', v, keys, ['id', 'shared_path', 'shared_cookies', 'sub_flows']);
  if (!o) return undefined;
  const id = ck.id(where, 'id', o.id);
  const sharedPath = ck.pathPair(where, 'shared_path', o.shared_path);
  const sharedCookies = ck.cookiePair(where, 'shared_cookies', o.shared_cookies);
  const h = {
    id: id ?? '',
    shared_switch: ck.optionalSwitch(where, 'shared_switch', o.shared_switch),
    y_point: ck.optionalSwitch(where, 'y_point', o.y_point),
    shared_path: sharedPath!,
    shared_cookies: sharedCookies!,
    shared_meters: ck.meters(where, 'shared_meters', o.shared_meters),
    y_point_meter: ck.point(where, 'y_point_meter', o.y_point_meter, OFPM_MAX, 'meter id'),
    y_point_group: ck.point(where, 'y_point_group', o.y_point_group, OFPG_MAX, 'group id'),
    sub_flows: subFlows(ck, where, o.sub_flows),
  };
  return id === undefined || !sharedPath || !sharedCookies ? undefined : dropUndefined(h);
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Checks a parsed document's shape; throws RegistryError listing every problem. */
export function checkRegistry(value: unknown, source: string): RegistryDoc {
  const ck = new Checker();
  const doc: RegistryDoc = { flows: [], y_flows: [], ha_flows: [] };
  const top = value === undefined || value === null ? {} : ck.object('registry', '', value, ['flows', 'y_flows', 'ha_flows'], []);
  if (top) {
    const each = <T>(list: 'flows' | 'y_flows' | 'ha_flows', read: (ck: Checker, where: string, v: unknown) => T | undefined, into: T[]) =>
      ck.list('registry', list, top[list]).forEach((v, i) => {
        const e = read(ck, entryName(list, i, (v as { id?: unknown } | null)?.id), v);
        if (e) into.push(e);
      });
    each('flows', flowEntry, doc.flows);
    each('y_flows', yFlowEntry, doc.y_flows);
    each('ha_flows', haFlowEntry, doc.ha_flows);
  }
  if (ck.problems.length > 0) throw new RegistryError(source, ck.problems);
  return doc;
}

/** Text (YAML or JSON) → checked document. */
export function parseRegistry(text: string, source: string): RegistryDoc {
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new RegistryError(source, doc.errors.slice(0, 5).map((e) => `syntax: ${e.message.split('\n')[0]}`));
  }
  return checkRegistry(doc.toJS({ mapAsMap: false, maxAliasCount: 1000 }), source);
}

const hex = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');

/** A document → registry file text (YAML), readable back by parseRegistry to the same document. */
export function formatRegistry(doc: RegistryDoc): string {
  const flow = (f: FlowDoc) => ({
    id: f.id,
    path: f.path,
    cookies: { forward: hex(f.cookies.forward), reverse: hex(f.cookies.reverse) },
    ...(f.meters.length ? { meters: f.meters } : {}),
    ...(f.extra_cookies.length ? { extra_cookies: f.extra_cookies.map((e) => ({ ...e, cookie: hex(e.cookie) })) } : {}),
  });
  const plain = {
    flows: doc.flows.map(flow),
    y_flows: doc.y_flows.map((y) => ({ ...y, sub_flows: y.sub_flows.map(flow) })),
    ha_flows: doc.ha_flows.map((h) => ({
      ...h,
      shared_cookies: { forward: hex(h.shared_cookies.forward), reverse: hex(h.shared_cookies.reverse) },
      sub_flows: h.sub_flows.map(flow),
    })),
  };
  return stringify(plain, { lineWidth: 0, flowCollectionPadding: false });
}
