import { once } from 'node:events';
import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { HttpDrain } from './http-drain';

/** An Express server whose /hang route answers only when told to. */
async function serve(drain: HttpDrain) {
  const app = express();
  app.use(drain.track);
  const waiting: (() => void)[] = [];
  app.get('/hang', (_req, res) => waiting.push(() => res.send('done')));
  app.get('/now', (_req, res) => res.send('now'));
  const server: Server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) =>
    new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      request(`${url}${path}`, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
  return { server, get, answerAll: () => waiting.splice(0).forEach((answer) => answer()) };
}

describe('HttpDrain', () => {
  it('waits for the requests in flight, which end with Connection: close, and refuses new connections', async () => {
    const drain = new HttpDrain();
    const { server, get, answerAll } = await serve(drain);
    const inFlight = get('/hang');
    while (drain.requestsInFlight === 0) await new Promise((resolve) => setImmediate(resolve));

    let outcome: string | undefined;
    const drained = drain.drain(server, 5000).then((result) => (outcome = result));
    await expect(get('/now')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(outcome).toBeUndefined();

    answerAll();
    expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    expect(await drained).toBe('drained');
  });

  it('cuts off what is still running after the timeout', async () => {
    const drain = new HttpDrain();
    const { server, get } = await serve(drain);
    const inFlight = get('/hang');
    while (drain.requestsInFlight === 0) await new Promise((resolve) => setImmediate(resolve));

    expect(await drain.drain(server, 50)).toBe('timeout');
    await expect(inFlight).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('is done at once when nothing is in flight', async () => {
    const drain = new HttpDrain();
    const { server, get } = await serve(drain);
    await get('/now');
    expect(await drain.drain(server, 5000)).toBe('drained');
    expect(server.listening).toBe(false);
  });
});
