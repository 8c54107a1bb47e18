export { Backoff, type BackoffOptions } from './backoff.js';
export { Dialer, type DialerOptions } from './dialer.js';
export { Listener, type ListenerOptions } from './listener.js';
export type { Link, Log } from './link.js';
export {
  AddressError, DEFAULT_OPENFLOW_PORT, parseDialTarget, parseListenAddress,
  type DialTarget, type ListenAddress,
} from './target.js';
export { clientTlsOptions, loadTls, serverTlsOptions, type TlsFiles, type TlsMaterial } from './tls.js';
