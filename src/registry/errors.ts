/** A registry that cannot be used as written: every problem found, each naming its entry. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`registry ${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
  }
}
