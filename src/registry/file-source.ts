/**
 * A registry file (YAML or JSON). Watching the directory, not the file: editors and config
 * management replace a file by renaming a new one over it (and Kubernetes swaps a symlinked
 * directory), which a watch on the file itself stops seeing. Events are debounced, and a
 * change is reported only when the content differs from what was last loaded.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { buildRegistry } from './build.js';
import { RegistryError } from './errors.js';
import { parseRegistry } from './format.js';
import type { MapRegistry } from './map-registry.js';
import type { RegistrySource } from './source.js';

export interface FileSourceOptions {
  /** Quiet time after the last event before reading the file (ms). */
  debounceMs?: number;
}

export class FileRegistrySource implements RegistrySource {
  readonly description: string;
  private readonly path: string;
  private readonly debounceMs: number;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private lastText?: string;

  constructor(path: string, opts: FileSourceOptions = {}) {
    this.path = resolve(path);
    this.description = `file ${path}`;
    this.debounceMs = opts.debounceMs ?? 250;
  }

  async load(): Promise<MapRegistry> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      throw new RegistryError(this.path, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
    // Remembered even when invalid: the same bad text is not re-reported on every event.
    this.lastText = text;
    return buildRegistry(parseRegistry(text, this.path), this.path);
  }

  watch(changed: () => void, failed: (err: Error) => void): void {
    if (this.watcher) return;
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        // Some platforms give no file name; symlink swaps name another entry: check the content.
        if (file !== null && file !== name && !String(file).startsWith('..')) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.check(changed), this.debounceMs);
        this.timer.unref();
      });
      this.watcher.on('error', (err) => {
        this.stopWatching();
        failed(err);
      });
    } catch (e) {
      failed(e as Error);
    }
  }

  close(): void {
    this.stopWatching();
  }

  private async check(changed: () => void): Promise<void> {
    if (!this.watcher) return;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      // Gone for now (between an editor's delete and its write): the next event brings it back.
      return;
    }
    if (text !== this.lastText) changed();
  }

  private stopWatching(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
