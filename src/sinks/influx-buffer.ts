/**
 * A fixed-capacity FIFO of serialized lines: O(1) push and shift whatever its size, so a
 * buffer of 100,000 points waiting through an outage costs no copying per point.
 */
export class LineRing {
  private readonly slots: (string | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer (got ${capacity})`);
    this.slots = new Array<string | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** False when full: the caller decides what to drop. */
  push(line: string): boolean {
    if (this.size === this.capacity) return false;
    this.slots[(this.head + this.size) % this.capacity] = line;
    this.size++;
    return true;
  }

  shift(): string | undefined {
    if (this.size === 0) return undefined;
    const line = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return line;
  }

  /** Removes and returns up to n lines from the front, oldest first. */
  take(n: number): string[] {
    const out: string[] = [];
    while (out.length < n && this.size > 0) out.push(this.shift()!);
    return out;
  }
}
