/**
 * Turn handler objects into endpoints: `Greeter` + method `Hello` → `Greeter.Hello`, for every
 * function-valued property on the object or its prototypes (not `constructor`, not Object's).
 */
import { badRequest } from '../errors.js';
import type { Metadata } from '../metadata/types.js';

export interface EndpointEntry {
  readonly name: string;
  readonly metadata: Metadata;
  readonly invoke: (body: unknown, context: unknown) => unknown;
}

export function endpointsOf(name: string, handler: object, metadata: Metadata = {}): EndpointEntry[] {
  if (!/^[A-Za-z_][\w]*$/.test(name)) throw badRequest(`handle: bad handler name '${name}' (letters, digits, _)`);
  const methods = new Set<string>();
  for (
    let proto: object | null = handler;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || methods.has(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof descriptor?.value === 'function') methods.add(key);
    }
  }
  if (methods.size === 0) throw badRequest(`handle: handler '${name}' has no methods`);
  const record = handler as Record<string, (body: unknown, context: unknown) => unknown>;
  return [...methods].map((method) => ({
    name: `${name}.${method}`,
    metadata,
    invoke: (body, context) => record[method]!.call(handler, body, context),
  }));
}
