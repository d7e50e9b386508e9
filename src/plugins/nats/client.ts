/**
 * The NATS client libraries (optional peer dependencies), loaded once for every NATS plugin; a
 * missing one is a MissingPeerError naming the package to install.
 */
import { loadPeer } from '../../micro/peer.js';

export const { connect, headers } = await loadPeer(
  '@nats-io/transport-node',
  'nats',
  () => import('@nats-io/transport-node'),
);
export const { Kvm, KvWatchInclude } = await loadPeer('@nats-io/kv', 'nats', () => import('@nats-io/kv'));
export const { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } = await loadPeer(
  '@nats-io/jetstream',
  'nats',
  () => import('@nats-io/jetstream'),
);
