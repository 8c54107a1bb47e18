/**
 * A checked registry document → MapRegistry: positions and Y points derived from the paths,
 * every (switch, cookie), (switch, meter), (switch, group) claimed once. Problems are
 * collected, each naming its entry, and thrown together as one RegistryError.
 */
import { commonPrefix, haSubFlowPositions, pathPositions, sharedPathPositions, yFlowPoint } from './derive.js';
import { RegistryError } from './errors.js';
import { DIRS, entryName, type Dir, type FlowDoc, type HaFlowDoc, type PointRef, type RegistryDoc, type YFlowDoc } from './format.js';
import { MapRegistry } from './map-registry.js';
import type { GroupInfo, MeterInfo, PathPosition, RuleInfo } from './types.js';

const hex = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');

interface Claimed<T> { info: T; owner: string }

/** switch → key → what claimed it; a second claim is a problem naming both owners. */
class Claims<K, T> {
  readonly bySwitch = new Map<string, Map<K, Claimed<T>>>();
  count = 0;

  constructor(
    private readonly what: (key: K) => string,
    private readonly problems: string[],
  ) {}

  claim(sw: string, key: K, info: T, owner: string): void {
    let m = this.bySwitch.get(sw);
    if (!m) this.bySwitch.set(sw, (m = new Map()));
    const prev = m.get(key);
    if (prev) {
      this.problems.push(`${owner}: ${this.what(key)} on ${sw} is already claimed by ${prev.owner}`);
      return;
    }
    m.set(key, { info, owner });
    this.count++;
  }

  plain(): Map<string, Map<K, T>> {
    return new Map([...this.bySwitch].map(([sw, m]) => [sw, new Map([...m].map(([k, c]) => [k, c.info]))]));
  }
}

class Builder {
  readonly problems: string[] = [];
  readonly rules = new Claims<bigint, RuleInfo>((c) => `cookie ${hex(c)}`, this.problems);
  readonly meters = new Claims<number, MeterInfo>((id) => `meter ${id}`, this.problems);
  readonly groups = new Claims<number, GroupInfo>((id) => `group ${id}`, this.problems);
  private readonly ids = new Map<string, string>();

  /** Flow ids (sub-flows included), Y-flow ids and HA-flow ids are each unique. */
  uniqueId(space: string, id: string, where: string): void {
    const key = `${space}\u0000${id}`;
    const prev = this.ids.get(key);
    if (prev !== undefined) this.problems.push(`${where}: id: "${id}" is already used by ${prev}`);
    else this.ids.set(key, where);
  }

  fail(where: string, msg: string): void {
    this.problems.push(`${where}: ${msg}`);
  }

  /**
   * One direction of one flow: its cookie on every switch of `path` with the positions given,
   * its extra cookies and meters on switches of that path.
   */
  direction(
    where: string,
    f: FlowDoc,
    dir: Dir,
    path: readonly string[],
    positions: Set<PathPosition>[],
    rule: (positions: Set<PathPosition>) => RuleInfo,
    meter: () => MeterInfo,
    keys = { path: 'path', meters: 'meters' },
  ): void {
    const at = new Map(path.map((sw, i) => [sw, rule(positions[i]!)]));
    for (const [sw, info] of at) this.rules.claim(sw, f.cookies[dir], info, where);
    f.extra_cookies.forEach((e, i) => {
      if (e.direction !== dir) return;
      const info = at.get(e.switch);
      if (!info) this.fail(where, `extra_cookies[${i}].switch: ${e.switch} is not on ${keys.path}.${dir}`);
      else this.rules.claim(e.switch, e.cookie, info, where);
    });
    f.meters.forEach((m, i) => {
      if (m.direction !== dir) return;
      if (!at.has(m.switch)) this.fail(where, `${keys.meters}[${i}].switch: ${m.switch} is not on ${keys.path}.${dir}`);
      else this.meters.claim(m.switch, m.id, meter(), where);
    });
  }

  flow(f: FlowDoc, where: string): void {
    this.uniqueId('flow', f.id, where);
    for (const dir of DIRS) {
      this.direction(where, f, dir, f.path[dir], pathPositions(f.path[dir]),
        (positions) => ({ kind: 'flow', flowId: f.id, direction: dir, positions }),
        () => ({ kind: 'flow', flowId: f.id, direction: dir, cookie: f.cookies[dir] }));
    }
  }

  yFlow(y: YFlowDoc, where: string): void {
    this.uniqueId('y-flow', y.id, where);
    if (y.sub_flows.length < 2) return this.fail(where, 'sub_flows: a Y-flow has at least two sub-flows');
    const shared = y.sub_flows[0]!.path.forward[0]!;
    const yPoint = yFlowPoint(y.sub_flows.map((s) => s.path.forward));
    if (!this.endpointsAgree(where, y.sub_flows, shared) || yPoint === undefined) return;
    this.stated(where, 'shared_switch', y.shared_switch, shared, 'the shared endpoint (the first switch of every path.forward)');
    this.stated(where, 'y_point', y.y_point, yPoint, 'the Y point (where the sub-flows\' forward paths part)');
    y.sub_flows.forEach((s, i) => {
      const sub = entryName('sub_flows', i, s.id, where);
      this.uniqueId('flow', s.id, sub);
      for (const dir of DIRS) {
        const positions = pathPositions(s.path[dir]);
        const at = s.path[dir].indexOf(yPoint);
        if (at >= 0) positions[at]!.add('ypoint');
        this.direction(sub, s, dir, s.path[dir], positions,
          (p) => ({ kind: 'yflow', flowId: s.id, yFlowId: y.id, direction: dir, positions: p }),
          () => ({ kind: 'flow', flowId: s.id, yFlowId: y.id, direction: dir, cookie: s.cookies[dir] }));
      }
    });
    this.point(where, 'shared_meter', y.shared_meter, shared, this.meters, { kind: 'yflow-shared', yFlowId: y.id });
    this.point(where, 'y_point_meter', y.y_point_meter, yPoint, this.meters, { kind: 'yflow-ypoint', yFlowId: y.id });
  }

  haFlow(h: HaFlowDoc, where: string): void {
    this.uniqueId('ha-flow', h.id, where);
    if (h.sub_flows.length < 2) return this.fail(where, 'sub_flows: an HA-flow has at least two sub-flows');
    const sp = h.shared_path;
    const shared = sp.forward[0]!;
    const yPoint = sp.forward.at(-1)!;
    let ok = true;
    if (sp.reverse[0] !== yPoint) ok = this.bad(where, `shared_path.reverse[0]: ${sp.reverse[0]} must be the Y point ${yPoint} (the last switch of shared_path.forward)`);
    if (sp.reverse.at(-1) !== shared) ok = this.bad(where, `shared_path.reverse[${sp.reverse.length - 1}]: ${sp.reverse.at(-1)} must be the shared endpoint ${shared} (shared_path.forward[0])`);
    h.sub_flows.forEach((s, i) => {
      const sub = entryName('sub_flows', i, s.id, where);
      if (s.path.forward[0] !== yPoint) ok = this.bad(sub, `path.forward[0]: ${s.path.forward[0]} must be the Y point ${yPoint}: an HA sub-flow's path starts where the shared path ends`);
      const last = s.path.reverse.length - 1;
      if (s.path.reverse[last] !== yPoint) ok = this.bad(sub, `path.reverse[${last}]: ${s.path.reverse[last]} must be the Y point ${yPoint}: an HA sub-flow's reverse path ends where the shared path begins`);
      for (const dir of DIRS) {
        const again = s.path[dir].find((sw) => sw !== yPoint && sp[dir].includes(sw));
        if (again) ok = this.bad(sub, `path.${dir}: ${again} is on shared_path.${dir} too: a path visits a switch once`);
      }
    });
    if (!ok) return;
    this.stated(where, 'shared_switch', h.shared_switch, shared, 'the shared endpoint (shared_path.forward[0])');
    this.stated(where, 'y_point', h.y_point, yPoint, 'the Y point (the last switch of shared_path.forward)');
    const sharedFlow: FlowDoc = { id: 'shared', path: sp, cookies: h.shared_cookies, meters: h.shared_meters, extra_cookies: [] };
    for (const dir of DIRS) {
      this.direction(where, sharedFlow, dir, sp[dir], sharedPathPositions(sp[dir], dir),
        (positions) => ({ kind: 'haflow', flowId: 'shared', haFlowId: h.id, direction: dir, positions }),
        () => ({ kind: 'haflow', flowId: 'shared', haFlowId: h.id, direction: dir, cookie: h.shared_cookies[dir] }),
        { path: 'shared_path', meters: 'shared_meters' });
    }
    h.sub_flows.forEach((s, i) => {
      const sub = entryName('sub_flows', i, s.id, where);
      this.uniqueId('flow', s.id, sub);
      for (const dir of DIRS) {
        this.direction(sub, s, dir, s.path[dir], haSubFlowPositions(s.path[dir], sp[dir], dir),
          (positions) => ({ kind: 'haflow', flowId: s.id, haFlowId: h.id, direction: dir, positions }),
          () => ({ kind: 'haflow', flowId: s.id, haFlowId: h.id, direction: dir, cookie: s.cookies[dir] }));
      }
    });
    this.point(where, 'y_point_meter', h.y_point_meter, yPoint, this.meters, { kind: 'haflow-ypoint', haFlowId: h.id });
    this.point(where, 'y_point_group', h.y_point_group, yPoint, this.groups, { kind: 'haflow-ypoint', haFlowId: h.id });
  }

  /** Every sub-flow leaves from and returns to the same shared endpoint. */
  private endpointsAgree(where: string, subs: readonly FlowDoc[], shared: string): boolean {
    let ok = true;
    subs.forEach((s, i) => {
      const sub = entryName('sub_flows', i, s.id, where);
      if (s.path.forward[0] !== shared) ok = this.bad(sub, `path.forward[0]: ${s.path.forward[0]} is not the shared endpoint ${shared} of sub_flows[0]`);
      const last = s.path.reverse.length - 1;
      if (s.path.reverse[last] !== shared) ok = this.bad(sub, `path.reverse[${last}]: ${s.path.reverse[last]} is not the shared endpoint ${shared}`);
    });
    return ok;
  }

  /** A derived switch the file may also state: if it does, the two must agree. */
  private stated(where: string, key: string, given: string | undefined, derived: string, what: string): void {
    if (given !== undefined && given !== derived) this.fail(where, `${key}: ${given} is not ${what}, ${derived}`);
  }

  private point<T>(where: string, key: string, ref: PointRef | undefined, derived: string, claims: Claims<number, T>, info: T): void {
    if (!ref) return;
    if (ref.switch !== undefined && ref.switch !== derived) return this.fail(where, `${key}.switch: ${ref.switch} must be ${derived}`);
    claims.claim(derived, ref.id, info, where);
  }

  private bad(where: string, msg: string): false {
    this.fail(where, msg);
    return false;
  }
}

/** Builds the lookup maps; throws RegistryError naming every entry at fault. */
export function buildRegistry(doc: RegistryDoc, source: string): MapRegistry {
  const b = new Builder();
  doc.flows.forEach((f, i) => b.flow(f, entryName('flows', i, f.id)));
  doc.y_flows.forEach((y, i) => b.yFlow(y, entryName('y_flows', i, y.id)));
  doc.ha_flows.forEach((h, i) => b.haFlow(h, entryName('ha_flows', i, h.id)));
  if (b.problems.length > 0) throw new RegistryError(source, b.problems);
  const rules = b.rules.plain();
  return new MapRegistry(rules, b.meters.plain(), b.groups.plain(), {
    flows: doc.flows.length,
    yFlows: doc.y_flows.length,
    haFlows: doc.ha_flows.length,
    switches: new Set([...rules.keys(), ...b.meters.bySwitch.keys(), ...b.groups.bySwitch.keys()]).size,
    rules: b.rules.count,
    meters: b.meters.count,
    groups: b.groups.count,
  });
}
