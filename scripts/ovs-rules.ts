/**
 * Generates an `ovs-ofctl add-flows` file (plus the meters and groups its rules use) for the
 * codec benchmark: N distinct OpenFlow 1.3 rules with varied matches, OpenKilda-layout cookies
 * and output / meter / group actions, deterministic for a given seed so runs are comparable.
 *
 *   node dist/scripts/ovs-rules.js [N] [OUT_DIR]   → OUT_DIR/flows.txt, groups.txt, meters.txt
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const METER_COUNT = 64;
export const GROUP_COUNT = 64;
export const PORT_COUNT = 8;

/**
 * OpenKilda's cookie layout: bit 63 service flag, bits 52-60 the cookie type, and for flow
 * segments bit 62/61 forward/reverse plus the flow's effective id in the low 20 bits.
 */
export function kildaCookie(i: number): bigint {
  if (i % 50 === 0) {
    // Service (default) rules: service flag, a type, a small id.
    return (1n << 63n) | (BigInt((i / 50) % 16) << 52n) | BigInt(1 + (i % 0x100));
  }
  const forward = i % 2 === 0;
  const dir = forward ? 1n << 62n : 1n << 61n;
  const type = BigInt(i % 3) << 52n; // 0 = flow segment, 1 = LLDP-ish, 2 = multi-table ingress
  return dir | type | BigInt((i >>> 1) & 0xfffff);
}

/** Tiny deterministic PRNG (mulberry32) so the generated table is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mac = (i: number, lead: number): string =>
  [lead, 0x54, (i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
const ipv4 = (i: number): string => `10.${(i >>> 16) & 0xff}.${(i >>> 8) & 0xff}.${i & 0xff}`;

/** One rule per index; the index is encoded in a matched field so every rule is distinct. */
export function rule(i: number, rnd: () => number): string {
  const table = i % 4;
  const priority = 1 + Math.floor(rnd() * 60000);
  const parts = [`table=${table}`, `priority=${priority}`, `cookie=0x${kildaCookie(i).toString(16)}`];
  const port = 1 + Math.floor(rnd() * PORT_COUNT);
  if (rnd() < 0.7) parts.push(`in_port=${port}`);
  switch (i % 5) {
    case 0:
      parts.push('ip', `nw_dst=${ipv4(i)}`);
      if (rnd() < 0.5) parts.push(`nw_src=10.${Math.floor(rnd() * 256)}.0.0/16`);
      break;
    case 1:
      parts.push('tcp', `nw_dst=${ipv4(i)}`, `tp_dst=${1 + Math.floor(rnd() * 65535)}`);
      break;
    case 2:
      parts.push('udp', `nw_src=${ipv4(i)}`, `tp_src=${1 + Math.floor(rnd() * 65535)}`);
      break;
    case 3:
      parts.push(`dl_vlan=${1 + Math.floor(rnd() * 4094)}`, `dl_dst=${mac(i, 0x52)}`);
      break;
    default:
      parts.push('ipv6', `ipv6_dst=2001:db8::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`);
      if (rnd() < 0.5) parts.push(`metadata=0x${(i * 7919).toString(16)}/0xffffffff`);
  }
  const out = 1 + Math.floor(rnd() * PORT_COUNT);
  const meter = 1 + Math.floor(rnd() * METER_COUNT);
  const group = 1 + Math.floor(rnd() * GROUP_COUNT);
  const r = rnd();
  let actions: string;
  if (r < 0.35) actions = `meter:${meter},output:${out}`;
  else if (r < 0.55) actions = `group:${group}`;
  else if (r < 0.7) actions = `meter:${meter},push_vlan:0x8100,set_field:${0x1000 | (100 + (i % 3000))}->vlan_vid,output:${out}`;
  else if (r < 0.8) actions = `write_actions(output:${out})`;
  else if (r < 0.9) actions = table < 3 ? `meter:${meter},goto_table:${table + 1}` : `output:${out}`;
  else actions = `output:${out},group:${group}`;
  return `${parts.join(',')},actions=${actions}`;
}

export function generate(n: number, seed = 1): { flows: string; groups: string; meters: string[] } {
  const rnd = prng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(rule(i, rnd));
  const groups: string[] = [];
  for (let g = 1; g <= GROUP_COUNT; g++) {
    groups.push(`group_id=${g},type=all,bucket=output:${1 + (g % PORT_COUNT)},bucket=output:${1 + ((g + 1) % PORT_COUNT)}`);
  }
  const meters: string[] = [];
  for (let m = 1; m <= METER_COUNT; m++) meters.push(`meter=${m},kbps,burst,stats,bands=type=drop,rate=${1000 * m},burst_size=${100 * m}`);
  return { flows: lines.join('\n') + '\n', groups: groups.join('\n') + '\n', meters };
}

/** Write flows.txt, groups.txt and meters.txt (one add-meter argument per line) into `dir`. */
export function writeRuleFiles(dir: string, n: number, seed = 1): { flows: string; groups: string; meters: string } {
  mkdirSync(dir, { recursive: true });
  const g = generate(n, seed);
  const files = { flows: join(dir, 'flows.txt'), groups: join(dir, 'groups.txt'), meters: join(dir, 'meters.txt') };
  writeFileSync(files.flows, g.flows);
  writeFileSync(files.groups, g.groups);
  writeFileSync(files.meters, g.meters.join('\n') + '\n');
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 100000);
  const dir = process.argv[3] ?? 'bench/out';
  const f = writeRuleFiles(dir, n);
  console.log(`wrote ${n} rules to ${f.flows}, ${GROUP_COUNT} groups to ${f.groups}, ${METER_COUNT} meters to ${f.meters}`);
}
