import { sql } from 'kysely';
import { DatabaseService } from '@app/database';
import { startApi, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { befriend, Call, client, registerUser, TestUser } from '../support/http';

describe('friends and blocks', () => {
  let api: TestApi;
  let call: Call;

  beforeAll(async () => {
    api = await startApi(testConfig());
    call = client(api.url);
  });

  afterAll(async () => {
    await api?.close();
  });

  /** Every friend's id, following nextCursor page by page (`limit` a page). */
  const friendIdsPaged = async (user: TestUser, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
      const page = await call('GET', `/v1/friends${query}`, { token: user.accessToken });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.body.items.map((f: { id: string }) => f.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return seen;
  };

  const friendIds = async (user: TestUser) =>
    (await call('GET', '/v1/friends', { token: user.accessToken })).body.items.map((f: { id: string }) => f.id);

  it('sends, lists and accepts a request', async () => {
    const alice = await registerUser(call, 'alice');
    const bob = await registerUser(call, 'bob');
    const sent = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: bob.username.toUpperCase() },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      id: expect.any(String),
      from: { id: alice.id, username: alice.username, displayName: null },
      to: { id: bob.id, username: bob.username, displayName: null },
      createdAt: expect.any(String),
    });

    const incoming = await call('GET', '/v1/friends/requests?direction=incoming', { token: bob.accessToken });
    expect(incoming.body).toEqual({ items: [sent.body], nextCursor: null });
    const outgoing = await call('GET', '/v1/friends/requests?direction=outgoing', { token: alice.accessToken });
    expect(outgoing.body.items.map((r: { id: string }) => r.id)).toEqual([sent.body.id]);

    const twice = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: bob.username },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('REQUEST_EXISTS');

    // Only the recipient may accept.
    expect(
      (await call('POST', `/v1/friends/requests/${sent.body.id}/accept`, { token: alice.accessToken })).status,
    ).toBe(404);
    const accepted = await call('POST', `/v1/friends/requests/${sent.body.id}/accept`, { token: bob.accessToken });
    expect(accepted.status).toBe(200);
    expect(accepted.body.friend).toMatchObject({ id: alice.id, username: alice.username, since: expect.any(String) });
    expect(await friendIds(alice)).toEqual([bob.id]);
    expect(await friendIds(bob)).toEqual([alice.id]);

    const again = await call('POST', '/v1/friends/requests', {
      token: bob.accessToken,
      body: { username: alice.username },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_FRIENDS');
  });

  it('makes mutual requests a friendship at once', async () => {
    const alice = await registerUser(call);
    const bob = await registerUser(call);
    expect(
      (await call('POST', '/v1/friends/requests', { token: alice.accessToken, body: { username: bob.username } }))
        .status,
    ).toBe(201);
    const mutual = await call('POST', '/v1/friends/requests', {
      token: bob.accessToken,
      body: { username: alice.username },
    });
    expect(mutual.status).toBe(200);
    expect(mutual.body.friend.id).toBe(alice.id);
    expect(await friendIds(alice)).toEqual([bob.id]);
    expect((await call('GET', '/v1/friends/requests', { token: alice.accessToken })).body.items).toEqual([]);
  });

  it('makes two users who ask each other at the same moment friends exactly once', async () => {
    for (let round = 0; round < 5; round++) {
      const alice = await registerUser(call);
      const bob = await registerUser(call);
      const [a, b] = await Promise.all([
        call('POST', '/v1/friends/requests', { token: alice.accessToken, body: { username: bob.username } }),
        call('POST', '/v1/friends/requests', { token: bob.accessToken, body: { username: alice.username } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(await friendIds(alice)).toEqual([bob.id]);
      expect(await friendIds(bob)).toEqual([alice.id]);
      for (const user of [alice, bob]) {
        for (const direction of ['incoming', 'outgoing']) {
          const pending = await call('GET', `/v1/friends/requests?direction=${direction}`, { token: user.accessToken });
          expect(pending.body.items).toEqual([]);
        }
      }
    }
  });

  it('declines and cancels requests, each only by its own side', async () => {
    const alice = await registerUser(call);
    const bob = await registerUser(call);
    const first = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: bob.username },
    });
    expect(
      (await call('POST', `/v1/friends/requests/${first.body.id}/decline`, { token: alice.accessToken })).status,
    ).toBe(404);
    expect(
      (await call('POST', `/v1/friends/requests/${first.body.id}/decline`, { token: bob.accessToken })).status,
    ).toBe(204);
    expect(
      (await call('POST', `/v1/friends/requests/${first.body.id}/accept`, { token: bob.accessToken })).status,
    ).toBe(404);

    const second = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: bob.username },
    });
    expect(second.status).toBe(201);
    expect((await call('DELETE', `/v1/friends/requests/${second.body.id}`, { token: bob.accessToken })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/v1/friends/requests/${second.body.id}`, { token: alice.accessToken })).status).toBe(
      204,
    );
    expect((await call('GET', '/v1/friends/requests', { token: bob.accessToken })).body.items).toEqual([]);
  });

  it('refuses requests to oneself, to unknown users and with bad input', async () => {
    const alice = await registerUser(call);
    const self = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: alice.username },
    });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('VALIDATION_FAILED');
    const ghost = await call('POST', '/v1/friends/requests', {
      token: alice.accessToken,
      body: { username: 'nobody_here_123' },
    });
    expect(ghost.status).toBe(404);
    // Names no account can have are unknown too, wherever a username is taken.
    for (const username of ['\u0000', 'bo\u0000b']) {
      const request = await call('POST', '/v1/friends/requests', { token: alice.accessToken, body: { username } });
      const block = await call('POST', '/v1/blocks', { token: alice.accessToken, body: { username } });
      const profile = await call('GET', `/v1/users/${encodeURIComponent(username)}`, { token: alice.accessToken });
      expect([request.status, block.status, profile.status]).toEqual([404, 404, 404]);
    }
    for (const body of [{}, { username: 42 }, { username: 'x'.repeat(65) }, { username: 'bob', extra: 1 }]) {
      const res = await call('POST', '/v1/friends/requests', { token: alice.accessToken, body });
      expect(res.status).toBe(400);
    }
    expect((await call('POST', '/v1/friends/requests', { body: { username: 'bob' } })).status).toBe(401);
    expect((await call('POST', '/v1/friends/requests/not-a-uuid/accept', { token: alice.accessToken })).status).toBe(
      404,
    );
  });

  it('removes a friend', async () => {
    const alice = await registerUser(call);
    const bob = await registerUser(call);
    await befriend(call, alice, bob);
    expect((await call('DELETE', `/v1/friends/${bob.id}`, { token: alice.accessToken })).status).toBe(204);
    expect(await friendIds(bob)).toEqual([]);
    expect((await call('DELETE', `/v1/friends/${bob.id}`, { token: alice.accessToken })).status).toBe(404);
  });

  it('pages through friends made within the same millisecond without skipping any', async () => {
    const hub = await registerUser(call);
    const others: string[] = [];
    for (let i = 0; i < 4; i++) {
      const other = await registerUser(call);
      await befriend(call, hub, other);
      others.push(other.id);
    }
    // Microseconds apart, as now() can make them: a cursor must not lose the ones after the first.
    await sql`
      update friendships set created_at = timestamptz '2026-01-01 00:00:00.000100+00'
        + (row_number * interval '100 microseconds')
      from (select user_a, user_b, row_number() over (order by user_a, user_b) from friendships
            where user_a = ${hub.id} or user_b = ${hub.id}) numbered
      where friendships.user_a = numbered.user_a and friendships.user_b = numbered.user_b`.execute(
      api.app.get(DatabaseService).db,
    );
    const seen = await friendIdsPaged(hub, 1);
    expect([...seen].sort()).toEqual([...others].sort());
  });

  it('pages through friends with a cursor, newest first', async () => {
    const hub = await registerUser(call);
    const others = [];
    for (let i = 0; i < 5; i++) {
      const other = await registerUser(call);
      await befriend(call, hub, other);
      others.push(other.id);
    }
    expect(await friendIdsPaged(hub, 2)).toEqual([...others].reverse());
    const dashes = Buffer.from(JSON.stringify([new Date().toISOString(), '-'.repeat(36)])).toString('base64url');
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?cursor=bogus', `?cursor=${dashes}`]) {
      const res = await call('GET', `/v1/friends${query}`, { token: hub.accessToken });
      expect(res.status).toBe(400);
    }
  });

  describe('blocks', () => {
    it('end the friendship and pending requests, and hide each side from the other', async () => {
      const alice = await registerUser(call);
      const bob = await registerUser(call);
      const carol = await registerUser(call);
      await befriend(call, alice, bob);
      await call('POST', '/v1/friends/requests', { token: carol.accessToken, body: { username: alice.username } });
      const pending = await call('POST', '/v1/friends/requests', {
        token: alice.accessToken,
        body: { username: carol.username },
      });
      expect(pending.status).toBe(200); // carol had asked first: friends

      expect((await call('GET', `/v1/users/${alice.username}`, { token: bob.accessToken })).status).toBe(200);
      expect(
        (await call('POST', '/v1/blocks', { token: alice.accessToken, body: { username: bob.username } })).status,
      ).toBe(204);

      expect(await friendIds(alice)).toEqual([carol.id]);
      expect(await friendIds(bob)).toEqual([]);
      // Hidden both ways, exactly as a name that does not exist.
      const hiddenFromBob = await call('GET', `/v1/users/${alice.username}`, { token: bob.accessToken });
      const missing = await call('GET', '/v1/users/no_such_user_here', { token: bob.accessToken });
      expect(hiddenFromBob.status).toBe(404);
      expect(hiddenFromBob.body.error).toEqual(missing.body.error);
      expect((await call('GET', `/v1/users/${bob.username}`, { token: alice.accessToken })).status).toBe(404);

      const fromBlocked = await call('POST', '/v1/friends/requests', {
        token: bob.accessToken,
        body: { username: alice.username },
      });
      expect(fromBlocked.status).toBe(404);
      expect(fromBlocked.body.error).toEqual(
        (
          await call('POST', '/v1/friends/requests', {
            token: bob.accessToken,
            body: { username: 'no_such_user_here' },
          })
        ).body.error,
      );
      const toBlocked = await call('POST', '/v1/friends/requests', {
        token: alice.accessToken,
        body: { username: bob.username },
      });
      expect(toBlocked.status).toBe(404);

      // Blocking again is a no-op (204); to the blocked side the blocker is still no such user.
      expect(
        (await call('POST', '/v1/blocks', { token: alice.accessToken, body: { username: bob.username } })).status,
      ).toBe(204);
      expect(
        (await call('POST', '/v1/blocks', { token: bob.accessToken, body: { username: alice.username } })).status,
      ).toBe(404);

      const blocks = await call('GET', '/v1/blocks', { token: alice.accessToken });
      expect(blocks.body.items).toEqual([
        { id: bob.id, username: bob.username, displayName: null, blockedAt: expect.any(String) },
      ]);

      expect((await call('DELETE', `/v1/blocks/${bob.id}`, { token: alice.accessToken })).status).toBe(204);
      expect((await call('DELETE', `/v1/blocks/${bob.id}`, { token: alice.accessToken })).status).toBe(404);
      expect((await call('GET', `/v1/users/${alice.username}`, { token: bob.accessToken })).status).toBe(200);
      // Unblocking does not restore the friendship.
      expect(await friendIds(alice)).toEqual([carol.id]);
    });

    it('drop pending requests in both directions', async () => {
      const alice = await registerUser(call);
      const bob = await registerUser(call);
      await call('POST', '/v1/friends/requests', { token: bob.accessToken, body: { username: alice.username } });
      await call('POST', '/v1/blocks', { token: alice.accessToken, body: { username: bob.username } });
      expect((await call('GET', '/v1/friends/requests', { token: alice.accessToken })).body.items).toEqual([]);
      expect(
        (await call('GET', '/v1/friends/requests?direction=outgoing', { token: bob.accessToken })).body.items,
      ).toEqual([]);
    });

    it('refuse blocking oneself', async () => {
      const alice = await registerUser(call);
      expect(
        (await call('POST', '/v1/blocks', { token: alice.accessToken, body: { username: alice.username } })).status,
      ).toBe(400);
    });
  });
});
