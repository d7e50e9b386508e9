/**
 * Names of topics, streams, locks and elections: one portable rule so that a name accepted by
 * the memory version is accepted by NATS subjects, MQTT topics, RabbitMQ routing keys and Redis
 * keys alike.
 */
import { badRequest } from '../errors.js';

export const MAX_NAME_LENGTH = 255;
const FORBIDDEN = /[\s*>#+]/u;
/** Names already found valid (a name's validity does not depend on what it names): hot paths check each publish. */
const valid = new Set<string>();
const MAX_REMEMBERED = 4096;

/**
 * Throw a BAD_REQUEST MicroError naming `what` and the value unless `name` is a non-empty
 * string of at most {@link MAX_NAME_LENGTH} characters with no whitespace, none of `* > # +`
 * and no empty `.`-separated segment. Unicode is fine.
 */
export function validateName(what: string, name: unknown): asserts name is string {
  if (typeof name === 'string' && valid.has(name)) return;
  if (typeof name !== 'string') throw badRequest(`${what} must be a string, got ${typeof name}`);
  if (name.length === 0) throw badRequest(`${what} must not be empty`);
  if (name.length > MAX_NAME_LENGTH)
    throw badRequest(`${what} "${name.slice(0, 40)}…" is ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`);
  const bad = FORBIDDEN.exec(name);
  if (bad) throw badRequest(`${what} ${JSON.stringify(name)} contains ${JSON.stringify(bad[0])}, which is not allowed`);
  if (name.split('.').some((segment) => segment.length === 0))
    throw badRequest(`${what} ${JSON.stringify(name)} has an empty "."-separated segment`);
  if (valid.size >= MAX_REMEMBERED) valid.clear(); // bounded: a workload of ever-new names pays the check again
  valid.add(name);
}

export function validateTopic(topic: unknown): asserts topic is string {
  validateName('topic', topic);
}
