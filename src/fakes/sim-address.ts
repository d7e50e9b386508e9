/**
 * Sim transport addresses across restarts. A transport owns the port `transport.<n>` (its number on
 * the node's incarnation); a node restarted onto a new address (`sim.restart(name, { newAddress:
 * true })`, which raises its `addressEpoch`) gets `transport.<n>~<epoch>` instead, so
 * `sim://orders-1/transport.1` becomes `sim://orders-1/transport.1~1`. The ports of earlier epochs
 * are retired: the transport answers whatever still arrives there with a refusal, as a host answers
 * a dial to a closed port, so a client holding the old address fails fast with UNAVAILABLE.
 */

/** The port of a node's `n`-th transport in address epoch `epoch`. */
export function transportPortName(n: number, epoch: number): string {
  return epoch === 0 ? `transport.${n}` : `transport.${n}~${epoch}`;
}

/** The ports the `n`-th transport had in earlier epochs, oldest first (none in epoch 0). */
export function retiredPortNames(n: number, epoch: number): string[] {
  const ports: string[] = [];
  for (let e = 0; e < epoch; e++) ports.push(transportPortName(n, e));
  return ports;
}

/** The trace record a transport writes when it listens on a new address: `{ type: 'new-address', from, to }`. */
export const NEW_ADDRESS_RECORD = 'new-address';
