import { createHmac } from 'node:crypto';
import { testConfig } from '../support/config';
import { client, registerUser } from '../support/http';
import { pollUntil } from '../support/poll';
import { ApiNode, startApiNodes } from '../support/processes';
import { connectSocket, EventLog, refusedSocket } from '../support/sockets';

/** Two API processes on their own ports, behind no proxy: every cross-node path runs for real. */
describe('real time across two API processes', () => {
  const config = testConfig();
  const nodes: ApiNode[] = [];
  const sockets: EventLog[] = [];

  beforeAll(async () => {
    nodes.push(...(await startApiNodes(2)));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(nodes.map((n) => n.proc.stop()));
  });

  const open = async (url: string, token: string) => {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };

  it('delivers friend:request sent through B to every device of the user, on A and on B', async () => {
    const [a, b] = nodes;
    const callA = client(a.url);
    const callB = client(b.url);
    const alice = await registerUser(callB, 'alice');
    const bob = await registerUser(callA, 'bob');
    const bobTablet = await callA('POST', '/v1/auth/login', {
      body: { username: bob.username, password: bob.password },
    });

    const bobOnA = await open(a.url, bob.accessToken);
    const bobOnB = await open(b.url, bobTablet.body.accessToken);
    const aliceOnB = await open(b.url, alice.accessToken);

    const sent = await callB('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: bob.username },
    });
    expect(sent.status).toBe(201);
    for (const device of [bobOnA, bobOnB]) {
      const event = await device.next('friend:request');
      expect(event).toEqual({ request: sent.body });
    }

    const accepted = await callA('POST', `/v1/friends/requests/${sent.body.id}/accept`, { token: bob.accessToken });
    expect(accepted.status).toBe(200);
    const friendEvent = await aliceOnB.next('friend:accepted');
    expect(friendEvent).toEqual({
      friend: { id: bob.id, username: bob.username, displayName: null, since: accepted.body.friend.since },
    });
    // Events go to the other user only.
    expect(aliceOnB.events.filter((e) => e.event === 'friend:request')).toEqual([]);
    expect(bobOnA.events.filter((e) => e.event === 'friend:accepted')).toEqual([]);
  });

  it('gives engine.io’s own HTTP answers an x-request-id too', async () => {
    const { url } = nodes[0];
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { 'x-request-id': 'client-chosen.id-1' },
    });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('x-request-id')).toBe('client-chosen.id-1');
    await handshake.text();
    const refused = await fetch(`${url}/socket.io/?EIO=4&transport=bogus`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await refused.text();
  });

  it('refuses a socket with no token, a bad token or an expired token', async () => {
    const [a] = nodes;
    const user = await registerUser(client(a.url));
    const none = await refusedSocket(a.url, undefined);
    expect(none.message).toBe('UNAUTHENTICATED');
    const bad = await refusedSocket(a.url, 'not-a-token');
    expect(bad.message).toBe('UNAUTHENTICATED');

    const [header, payload] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const expiredPayload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 })).toString(
      'base64url',
    );
    const signature = createHmac('sha256', config.JWT_SECRET).update(`${header}.${expiredPayload}`).digest('base64url');
    const expired = await refusedSocket(a.url, `${header}.${expiredPayload}.${signature}`);
    expect(expired.message).toBe('UNAUTHENTICATED');
    expect(expired.data).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('closes a socket when the access token that opened it expires', async () => {
    const [short] = await startApiNodes(1, { ACCESS_TOKEN_TTL_SECONDS: '2' });
    try {
      const user = await registerUser(client(short.url));
      const { exp } = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()) as {
        exp: number;
      };
      const socket = await open(short.url, user.accessToken);
      const reason = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
      expect(await reason).toBe('io server disconnect');
      // Not before the token's expiry (its exp has whole-second precision).
      expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000 - 50);
    } finally {
      await short.proc.stop();
    }
  });

  it("disconnects a revoked session's sockets on every node and refuses its token afterwards", async () => {
    const [a, b] = nodes;
    const callA = client(a.url);
    const user = await registerUser(callA);
    const phone = await callA('POST', '/v1/auth/login', { body: { username: user.username, password: user.password } });
    const phoneSocket = await open(b.url, phone.body.accessToken);
    const otherDevice = await open(a.url, user.accessToken);

    const sessions = await callA('GET', '/v1/me/sessions', { token: user.accessToken });
    const phoneSession = sessions.body.items.find((s: { current: boolean }) => !s.current);
    expect((await callA('DELETE', `/v1/me/sessions/${phoneSession.id}`, { token: user.accessToken })).status).toBe(204);

    await pollUntil(
      async () => phoneSocket.socket.connected,
      (connected) => connected === false,
      {
        what: 'revoked socket disconnected',
      },
    );
    expect(otherDevice.socket.connected).toBe(true);
    const again = await refusedSocket(b.url, phone.body.accessToken);
    expect(again.message).toBe('UNAUTHENTICATED');
  });
});
