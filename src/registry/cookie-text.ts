// Cookies as registries, configs and operators write them; shared by the registry and the CLI.

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * A cookie as people and tools write it: `0x` + up to 16 hex digits, an unsigned decimal, or
 * a negative decimal (OpenKilda's `cookie` tag is Java's signed long). undefined if not one.
 */
export function parseCookie(text: string): bigint | undefined {
  const t = text.trim();
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]{1,16}$/.test(t)) v = BigInt(t);
  else if (/^-?[0-9]+$/.test(t)) v = BigInt(t);
  else return undefined;
  if (v > UINT64_MAX || v < INT64_MIN) return undefined;
  return BigInt.asUintN(64, v);
}
