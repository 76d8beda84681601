import { afterAll, expect, it } from 'vitest';
import { closeRedis, connectRedis, redactUrl, redisCall, type Redis } from '../../src/state/redis.ts';
import { StateUnavailableError } from '../../src/state/unavailable.ts';
import { describeWithServers, TEST_REDIS_URL } from '../support/servers.ts';

it('redacts the password of a Redis URL', () => {
  expect(redactUrl('redis://user:s3cret@host:6379/0')).toBe('redis://user:***@host:6379/0');
  expect(redactUrl('not a url')).toBe('<invalid url>');
});

it('a Redis that is not there is a StateUnavailableError at connect', async () => {
  // Port 1 on loopback: nothing listens there.
  await expect(connectRedis({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 })).rejects.toBeInstanceOf(StateUnavailableError);
});

describeWithServers('Redis client factory', ['redis'], () => {
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const c of clients) await closeRedis(c);
  });

  it('connects, and fails fast with StateUnavailableError once disconnected', async () => {
    const client = await connectRedis({ url: TEST_REDIS_URL!, name: 'facematch:test' });
    clients.push(client);
    expect(await client.ping()).toBe('PONG');
    client.disconnect(false);
    await expect(redisCall('get', () => client.get('x'))).rejects.toBeInstanceOf(StateUnavailableError);
  });

  it('the test server keeps nothing on disk (persistence off)', async () => {
    const client = await connectRedis({ url: TEST_REDIS_URL! });
    clients.push(client);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });
});
