/**
 * Summarises a V8 .cpuprofile (`node --cpu-prof`): self time per function, top first, and
 * total time per source file, for docs/profile.md.
 *
 *   node dist/bench/scale-profile.js PROFILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export function summarise(path: string, top = 25): string {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const n = byId.get(id)!;
    const f = n.callFrame;
    const where = f.url ? f.url.replace(/^.*\/dist[^/]*\//, '').replace(/^node:/, 'node:') : '';
    const key = `${f.functionName || '(anonymous)'} ${where ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    const file = where ? where.replace(/:\d+$/, '') : f.functionName;
    files.set(file, (files.get(file) ?? 0) + dt);
    total += dt;
  });
  const busy = total - (self.get('(idle)') ?? 0);
  const lines = [`${path}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s not idle; % of not-idle time`, '', 'self time by function:'];
  const pct = (us: number): string => ((100 * us) / busy).toFixed(1).padStart(5);
  for (const [k, us] of [...self].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} %  ${k}`);
  lines.push('', 'self time by file:');
  for (const [k, us] of [...files].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`${pct(us)} %  ${k}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(summarise(process.argv[2]!, Number(process.argv[3] ?? 25)));
}
