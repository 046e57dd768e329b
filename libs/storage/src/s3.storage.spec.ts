import { AddressInfo, createServer, Socket } from 'node:net';
import { unitConfig } from '../../../test/support/config';
import { S3Storage } from './s3.storage';

describe('S3Storage', () => {
  // A server that accepts connections and never answers: a stalled storage endpoint.
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  let storage: S3Storage;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    storage = new S3Storage(
      unitConfig({
        S3_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        S3_TIMEOUT_MS: '200',
      }),
    );
  });

  afterAll(async () => {
    storage.onModuleDestroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a call to a server that never answers after S3_TIMEOUT_MS per attempt, not never', async () => {
    const started = performance.now();
    await expect(storage.deleteAll(['media/a', 'media/b'])).rejects.toThrow(/timed out/);
    // Three attempts of 200 ms each, with the SDK's short backoff between them.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(sockets.length).toBeGreaterThanOrEqual(1);
  }, 10_000);
});
