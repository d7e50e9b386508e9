import { create } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientWrapper } from '../client/types.js';
import { Codecs } from '../codec/codecs.js';
import { HelloReplySchema, HelloRequestSchema } from '../codec/greeter-proto.js';
import { jsonCodec } from '../codec/json.js';
import { msgpackCodec } from '../codec/msgpack.js';
import { protobufCodec } from '../codec/protobuf.js';
import { forbidden, isMicroError } from '../errors.js';
import type { CallContext } from '../metadata/context.js';
import type { HandlerWrapper } from '../server/types.js';
import { type TestWorld, testWorld } from '../testing/world.js';
import { createService } from './service.js';

class Greeter {
  readonly greeting: string;
  constructor(greeting = 'Hello') {
    this.greeting = greeting;
  }
  async Hello(request: { name: string }, context: CallContext): Promise<{ message: string; user?: string }> {
    const user = context.metadata.user;
    return user === undefined
      ? { message: `${this.greeting} ${request.name}` }
      : { message: `${this.greeting} ${request.name}`, user };
  }
  Secret(): never {
    throw forbidden('members only');
  }
  Crash(): never {
    throw new TypeError('cannot read properties of undefined (reading "password")');
  }
}

const worlds: TestWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stopAll()));
});

describe('one call', () => {
  it('runs two services in-process with every plugin left at its default', async () => {
    const greeter = createService({ name: 'greeter' }).handle('Greeter', new Greeter());
    const caller = createService({ name: 'caller' });
    await greeter.start();
    try {
      expect(await caller.client.call('greeter', 'Greeter.Hello', { name: 'Ada' })).toEqual({ message: 'Hello Ada' });
    } finally {
      await Promise.all([greeter.stop(), caller.stop()]);
    }
  });

  it('calls through a typed proxy, type-checked against the handler class', async () => {
    const world = testWorld();
    worlds.push(world);
    await world.serve('greeter', { Greeter: new Greeter('Hi') });
    const greeter = world.service({ name: 'caller' }).client.proxy<Greeter>('greeter', 'Greeter');
    const reply = await greeter.Hello({ name: 'Grace' });
    expect(reply.message).toBe('Hi Grace');
    // @ts-expect-error — the request shape is checked at the call site.
    await expect(greeter.Hello({ nom: 'x' })).resolves.toBeDefined();
  });

  it("delivers a handler's MicroError typed, and hides an unexpected exception behind INTERNAL", async () => {
    const world = testWorld();
    worlds.push(world);
    const server = await world.serve('greeter', { Greeter: new Greeter() });
    const client = world.service({ name: 'caller' }).client;
    const secret = await client.call('greeter', 'Greeter.Secret', {}).catch((e: unknown) => e);
    expect(isMicroError(secret) && secret.toJSON()).toEqual({
      id: '',
      code: 'FORBIDDEN',
      detail: 'members only',
      status: 403,
      retryable: false,
    });
    const crash = await client.call('greeter', 'Greeter.Crash', {}).catch((e: unknown) => e);
    expect(isMicroError(crash) && [crash.code, crash.detail, crash.id]).toEqual([
      'INTERNAL',
      'internal error',
      'greeter',
    ]);
    expect(JSON.stringify(crash)).not.toContain('password');
    expect(world.logger.records.some((r) => r.level === 'error' && String(r.fields.error).includes('password'))).toBe(
      true,
    );
    expect(server.server.inFlight).toBe(0);
  });

  it('answers an unknown endpoint with NOT_FOUND and an unknown content type with BAD_REQUEST', async () => {
    const world = testWorld();
    worlds.push(world);
    await world.serve('greeter', { Greeter: new Greeter() });
    const yaml = { name: 'yaml', contentType: 'application/yaml', encode: jsonCodec.encode, decode: jsonCodec.decode };
    const client = world.service({ name: 'caller', codecs: new Codecs([jsonCodec, yaml]) }).client;
    await expect(client.call('greeter', 'Greeter.Goodbye', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      client.call('greeter', 'Greeter.Hello', { name: 'x' }, { contentType: 'application/yaml' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      detail: expect.stringMatching(/unknown content type 'application\/yaml'/),
    });
    await expect(client.call('nobody', 'X.Y', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('speaks MessagePack and Protocol Buffers when asked to', async () => {
    const world = testWorld();
    worlds.push(world);
    const proto = protobufCodec([HelloRequestSchema, HelloReplySchema]);
    const codecs = new Codecs([jsonCodec, msgpackCodec, proto]);
    const protoGreeter = {
      Hello: (request: { name: string }) => create(HelloReplySchema, { message: `hello ${request.name}`, count: 1 }),
    };
    await world.serve('greeter', { Greeter: new Greeter(), Proto: protoGreeter }, { codecs });
    const client = world.service({ name: 'caller', codecs }).client;
    expect(
      await client.call('greeter', 'Greeter.Hello', { name: 'mp' }, { contentType: 'application/msgpack' }),
    ).toEqual({
      message: 'Hello mp',
    });
    const reply = await client.call<{ message: string; $typeName: string }>(
      'greeter',
      'Proto.Hello',
      create(HelloRequestSchema, { name: 'pb' }),
      { contentType: 'application/protobuf' },
    );
    expect([reply.$typeName, reply.message]).toEqual(['greeter.HelloReply', 'hello pb']);
  });

  it('runs client and server wrappers around every call, outermost first', async () => {
    const world = testWorld();
    worlds.push(world);
    const trail: string[] = [];
    const stamp: ClientWrapper = (next) => async (request) => {
      trail.push(`client ${request.endpoint}`);
      return next({ ...request, metadata: { ...request.metadata, user: 'ada' } });
    };
    const audit: HandlerWrapper = (next) => async (request) => {
      trail.push(`server ${request.endpoint} user=${request.metadata.user}`);
      return next(request);
    };
    await world.serve('greeter', { Greeter: new Greeter() }, { handlerWrappers: [audit] });
    const client = world.service({ name: 'caller', clientWrappers: [stamp] }).client;
    expect(await client.call('greeter', 'Greeter.Hello', { name: 'x' })).toEqual({ message: 'Hello x', user: 'ada' });
    expect(trail).toEqual(['client Greeter.Hello', 'server Greeter.Hello user=ada']);
  });
});
