/**
 * The live TLS state of one transport: the current secure context (what this side presents and
 * trusts), swapped whole on `reload()` so that new handshakes use the new material while sockets
 * already open carry on. Listeners subscribe to swap their server's context in place.
 *
 * Identity: a peer's service name is its certificate's subject CN. Chain and validity dates are
 * checked by OpenSSL against the configured CA; the name against the peer policy, here.
 */
import { createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { badRequest } from '../../micro/errors.js';
import type { Runtime } from '../../micro/runtime.js';
import type { TcpTlsConfig, TlsMaterial } from './tls-options.js';

export class TlsState {
  #material: TlsMaterial | undefined;
  #context: SecureContext | undefined;
  #loading: Promise<void> | undefined;
  readonly #subscribers = new Set<(material: TlsMaterial) => void>();
  #timer: { cancel(): void } | undefined;

  constructor(
    readonly config: TcpTlsConfig,
    private readonly runtime: Runtime,
  ) {}

  /** The material and context, loaded on first use. */
  async current(): Promise<{ material: TlsMaterial; context: SecureContext }> {
    if (this.#context === undefined) await (this.#loading ??= this.reload());
    this.#startTimer();
    return { material: this.#material as TlsMaterial, context: this.#context as SecureContext };
  }

  /** Load the material again (files re-read, callback called) and use it for new handshakes. */
  async reload(): Promise<void> {
    const material = await this.config.load();
    let context: SecureContext;
    try {
      context = createSecureContext(material);
    } catch (error) {
      throw badRequest(`tcp tls: the certificate, key or CA is unusable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#material = material;
    this.#context = context;
    for (const subscriber of this.#subscribers) subscriber(material);
  }

  /** Run `onReload` with the new material after each reload; returns the unsubscribe. */
  subscribe(onReload: (material: TlsMaterial) => void): () => void {
    this.#subscribers.add(onReload);
    return () => this.#subscribers.delete(onReload);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #startTimer(): void {
    const every = this.config.reloadIntervalMs;
    if (every === 0 || this.#timer !== undefined) return;
    const tick = () => {
      this.#timer = this.runtime.timers.setTimeout(() => {
        this.reload().then(tick, tick); // a failed reload keeps the last good material
      }, every);
    };
    tick();
  }
}

/** A certificate's service name: its subject CN. */
export function serviceOf(cert: PeerCertificate | undefined): string | undefined {
  const cn: unknown = cert?.subject?.CN;
  if (typeof cn === 'string' && cn !== '') return cn;
  return Array.isArray(cn) && typeof cn[0] === 'string' ? cn[0] : undefined;
}
