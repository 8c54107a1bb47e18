import { readFile } from 'node:fs/promises';
import type { ConnectionOptions, TlsOptions } from 'node:tls';

/** File paths, as `ovs-vsctl set-ssl PRIVKEY CERT CACERT` takes them. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

export async function loadTls(files: TlsFiles): Promise<TlsMaterial> {
  const read = async (what: keyof TlsFiles): Promise<Buffer> => {
    try {
      return await readFile(files[what]);
    } catch (e) {
      throw new Error(`cannot read TLS ${what} file ${files[what]}: ${(e as Error).message}`);
    }
  };
  return { cert: await read('cert'), key: await read('key'), ca: await read('ca') };
}

/**
 * Peer verification the way Open vSwitch does it: the peer must present a certificate that
 * chains to our CA, and nothing else is checked (no host name, since switches are reached by
 * address and their certificates name the switch, not the address).
 */
export function serverTlsOptions(m: TlsMaterial): TlsOptions {
  return { cert: m.cert, key: m.key, ca: m.ca, requestCert: true, rejectUnauthorized: true };
}

export function clientTlsOptions(m: TlsMaterial): ConnectionOptions {
  return {
    cert: m.cert,
    key: m.key,
    ca: m.ca,
    rejectUnauthorized: true,
    checkServerIdentity: () => undefined,
  };
}
