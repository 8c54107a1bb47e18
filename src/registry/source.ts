/**
 * Where a registry comes from. The file source is the first; a source reading OpenKilda's
 * northbound API (flows, Y-flows, HA-flows with their paths) would implement the same three
 * methods and build through buildRegistry.
 */
import type { MapRegistry } from './map-registry.js';

export interface RegistrySource {
  /** For log lines: `file /etc/ofstats/registry.yaml`. */
  readonly description: string;
  /** A complete, validated registry, or a RegistryError (any other error: the source is unreachable). */
  load(): Promise<MapRegistry>;
  /**
   * Call `changed` when the source may have changed (a reload follows); `failed` when
   * watching itself broke (reloads then only happen on request).
   */
  watch?(changed: () => void, failed: (err: Error) => void): void;
  close(): void;
}
