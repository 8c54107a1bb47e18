/**
 * Where a switch sits on a flow, derived from paths (../shared/reference/openkilda-stats.md
 * §3): first switch INGRESS, last EGRESS, the others TRANSIT, a one-switch path both ingress
 * and egress; the Y point is where sub-flows part. Pure functions over switch id lists.
 */
import type { PathPosition } from './types.js';

/** Positions along one path, by index. */
export function pathPositions(path: readonly string[]): Set<PathPosition>[] {
  return path.map((_, i) => {
    const p = new Set<PathPosition>();
    if (i === 0) p.add('ingress');
    if (i === path.length - 1) p.add('egress');
    if (p.size === 0) p.add('transit');
    return p;
  });
}

/** The longest list every path starts with. */
export function commonPrefix(paths: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  const first = paths[0] ?? [];
  for (let i = 0; i < first.length; i++) {
    if (!paths.every((p) => p[i] === first[i])) break;
    out.push(first[i]!);
  }
  return out;
}

/**
 * A Y-flow's Y point: its sub-flows' forward paths leave the shared endpoint together and
 * part after the last switch they have in common. undefined if they do not even share the first.
 */
export function yFlowPoint(forwardPaths: readonly (readonly string[])[]): string | undefined {
  return commonPrefix(forwardPaths).at(-1);
}

/**
 * An HA-flow's shared path, forward: the shared endpoint is ingress, the Y point at its end
 * is `ypoint` (not egress: no traffic leaves the HA-flow there through this rule), the rest
 * transit. Reverse: starts at the Y point, ends at the shared endpoint (egress).
 */
export function sharedPathPositions(path: readonly string[], direction: 'forward' | 'reverse'): Set<PathPosition>[] {
  const yAt = direction === 'forward' ? path.length - 1 : 0;
  return path.map((_, i) => {
    const p = new Set<PathPosition>();
    if (i === yAt) p.add('ypoint');
    if (direction === 'forward' && i === 0) p.add('ingress');
    if (direction === 'reverse' && i === path.length - 1) p.add('egress');
    if (p.size === 0) p.add('transit');
    return p;
  });
}

/**
 * An HA sub-flow's positions on its own part of the path (from the Y point forward, to the Y
 * point in reverse), read off the whole path shared part included, plus `ypoint` at the Y point.
 */
export function haSubFlowPositions(own: readonly string[], shared: readonly string[], direction: 'forward' | 'reverse'): Set<PathPosition>[] {
  const whole = direction === 'forward' ? [...shared, ...own.slice(1)] : [...own.slice(0, -1), ...shared];
  const offset = direction === 'forward' ? shared.length - 1 : 0;
  const all = pathPositions(whole);
  const yAt = direction === 'forward' ? 0 : own.length - 1;
  return own.map((_, i) => {
    const p = all[i + offset]!;
    if (i === yAt) p.add('ypoint');
    return p;
  });
}
