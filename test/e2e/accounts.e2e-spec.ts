import { createHmac } from 'node:crypto';
import { AppConfig } from '@app/config';
import { startApi, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { Call, client, randomIp, registerUser, uniqueName } from '../support/http';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function forgeJwt(header: object, payload: object, secret: string | null): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('accounts and sessions', () => {
  let config: AppConfig;
  let api: TestApi;
  let call: Call;

  beforeAll(async () => {
    config = testConfig();
    api = await startApi(config);
    call = client(api.url);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('register', () => {
    it('creates an account, signs it in and shows it at /v1/me', async () => {
      const username = uniqueName('reg');
      const res = await call('POST', '/v1/auth/register', {
        body: { username, password: 'correct horse battery', displayName: 'Réka 🌸' },
        ip: randomIp(),
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        user: { id: expect.any(String), username, displayName: 'Réka 🌸', createdAt: expect.any(String) },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
      });
      const me = await call('GET', '/v1/me', { token: res.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(res.body.user);
    });

    it('stores usernames in one form: case and compatibility variants collide', async () => {
      const base = uniqueName('case');
      const first = await call('POST', '/v1/auth/register', {
        body: { username: base, password: 'password-1' },
        ip: randomIp(),
      });
      expect(first.status).toBe(201);
      for (const variant of [
        base.toUpperCase(),
        base.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
      ]) {
        const again = await call('POST', '/v1/auth/register', {
          body: { username: variant, password: 'password-1' },
          ip: randomIp(),
        });
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('USERNAME_TAKEN');
      }
      const login = await call('POST', '/v1/auth/login', {
        body: { username: base.toUpperCase(), password: 'password-1' },
        ip: randomIp(),
      });
      expect(login.status).toBe(200);
      expect(login.body.user.username).toBe(base);
    });

    it('refuses reserved names', async () => {
      const res = await call('POST', '/v1/auth/register', {
        body: { username: 'Admin', password: 'password-1' },
        ip: randomIp(),
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('USERNAME_TAKEN');
    });

    it.each([
      ['a missing password', { username: 'valid_name' }, ['password']],
      ['a missing username', { password: 'password-1' }, ['username']],
      ['an extra field', { username: 'valid_name2', password: 'password-1', admin: true }, ['admin']],
      ['a number for a username', { username: 12345, password: 'password-1' }, ['username']],
      ['a short username', { username: 'ab', password: 'password-1' }, ['username']],
      ['an over-long username', { username: 'a'.repeat(31), password: 'password-1' }, ['username']],
      ['a short password', { username: 'valid_name3', password: 'short' }, ['password']],
      ['an over-long password', { username: 'valid_name4', password: 'p'.repeat(129) }, ['password']],
      ['SQL in the username', { username: "x' or '1'='1", password: 'password-1' }, ['username']],
      ['an object (NoSQL operator) for a username', { username: { $gt: '' }, password: 'password-1' }, ['username']],
      [
        'control characters in displayName',
        { username: 'valid_name5', password: 'password-1', displayName: 'a\u0007b' },
        ['displayName'],
      ],
      [
        'a right-to-left override in displayName',
        { username: 'valid_name6', password: 'password-1', displayName: 'admin\u202Enimda' },
        ['displayName'],
      ],
      [
        'an over-long displayName',
        { username: 'valid_name6', password: 'password-1', displayName: 'd'.repeat(51) },
        ['displayName'],
      ],
    ])('answers %s with 400 VALIDATION_FAILED naming the field', async (_, body, fields) => {
      const res = await call('POST', '/v1/auth/register', { body, ip: randomIp() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const named = (res.body.error.details.fields as { field: string }[]).map((f) => f.field);
      expect(named).toEqual(expect.arrayContaining(fields));
    });

    it('answers a JSON array body with 400', async () => {
      const res = await call('POST', '/v1/auth/register', { body: '[1,2]', ip: randomIp() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('login', () => {
    it('refuses a wrong password and an unknown user alike', async () => {
      const user = await registerUser(call);
      const wrong = await call('POST', '/v1/auth/login', {
        body: { username: user.username, password: 'nope-nope' },
        ip: randomIp(),
      });
      const unknown = await call('POST', '/v1/auth/login', {
        body: { username: uniqueName('ghost'), password: 'nope-nope' },
        ip: randomIp(),
      });
      // A name no account can have, with a character PostgreSQL cannot even store.
      const impossible = await call('POST', '/v1/auth/login', {
        body: { username: 'a\u0000b', password: 'nope-nope' },
        ip: randomIp(),
      });
      for (const res of [wrong, unknown, impossible]) {
        expect(res.status).toBe(401);
        expect(res.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password.' });
      }
    });

    it('treats SQL injection strings as plain (wrong) credentials', async () => {
      const user = await registerUser(call);
      const res = await call('POST', '/v1/auth/login', {
        body: { username: user.username, password: "' or '1'='1' --" },
        ip: randomIp(),
      });
      expect(res.status).toBe(401);
    });

    it('rate limits guessing one account across IPs with 429 and Retry-After', async () => {
      const user = await registerUser(call);
      const statuses: number[] = [];
      let limited;
      for (let i = 0; i < 12; i++) {
        const res = await call('POST', '/v1/auth/login', {
          body: { username: user.username, password: `guess-${i}-xx` },
          ip: randomIp(),
        });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(limited!.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('rate limits registrations per client IP', async () => {
      const ip = randomIp();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const res = await call('POST', '/v1/auth/register', {
          body: { username: uniqueName('rl'), password: 'password-1' },
          ip,
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
      expect(statuses[10]).toBe(429);
    });
  });

  describe('access tokens', () => {
    it('refuses a missing, malformed, forged, alg:none, wrong-algorithm and expired token', async () => {
      const user = await registerUser(call);
      const now = Math.floor(Date.now() / 1000);
      const payload = { sub: user.id, sid: '00000000-0000-4000-8000-000000000000', iat: now, exp: now + 600 };
      const [, realPayload] = user.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(realPayload, 'base64url').toString());
      const cases: [string, string | undefined, string][] = [
        ['none', undefined, 'UNAUTHENTICATED'],
        ['garbage', 'not.a.jwt', 'UNAUTHENTICATED'],
        [
          'forged',
          forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'wrong-secret-wrong-secret-wrong-secret'),
          'UNAUTHENTICATED',
        ],
        ['alg none', forgeJwt({ alg: 'none', typ: 'JWT' }, claims, null), 'UNAUTHENTICATED'],
        ['HS512', forgeJwt({ alg: 'HS512', typ: 'JWT' }, claims, config.JWT_SECRET), 'UNAUTHENTICATED'],
        ['unknown session', forgeJwt({ alg: 'HS256', typ: 'JWT' }, payload, config.JWT_SECRET), 'UNAUTHENTICATED'],
        [
          'expired',
          forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now - 10 }, config.JWT_SECRET),
          'TOKEN_EXPIRED',
        ],
      ];
      for (const [name, token, code] of cases) {
        const res = await call('GET', '/v1/me', { token });
        expect({ name, status: res.status, code: res.body.error.code }).toEqual({ name, status: 401, code });
      }
      expect((await call('GET', '/v1/me', { token: user.accessToken })).status).toBe(200);
    });
  });

  describe('refresh tokens and sessions', () => {
    it('rotates refresh tokens; a replayed one revokes the whole family', async () => {
      const user = await registerUser(call);
      const first = await call('POST', '/v1/auth/refresh', {
        body: { refreshToken: user.refreshToken },
        ip: randomIp(),
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      expect((await call('GET', '/v1/me', { token: first.body.accessToken })).status).toBe(200);

      const replay = await call('POST', '/v1/auth/refresh', {
        body: { refreshToken: user.refreshToken },
        ip: randomIp(),
      });
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('TOKEN_REUSED');

      // Everything of that login is dead now: the newest refresh token and every access token.
      const after = await call('POST', '/v1/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
        ip: randomIp(),
      });
      expect(after.status).toBe(401);
      expect((await call('GET', '/v1/me', { token: first.body.accessToken })).status).toBe(401);
      expect((await call('GET', '/v1/me', { token: user.accessToken })).status).toBe(401);
    });

    it('lets exactly one of two concurrent refreshes with the same token win', async () => {
      const user = await registerUser(call);
      const results = await Promise.all(
        [0, 1].map(() =>
          call('POST', '/v1/auth/refresh', { body: { refreshToken: user.refreshToken }, ip: randomIp() }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('refuses an unknown refresh token', async () => {
      const res = await call('POST', '/v1/auth/refresh', { body: { refreshToken: 'made-up' }, ip: randomIp() });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('lists sessions per device, revokes one, and logs out', async () => {
      const user = await registerUser(call);
      const phone = await call('POST', '/v1/auth/login', {
        body: { username: user.username, password: user.password, deviceName: 'Pixel' },
        ip: randomIp(),
      });
      const tablet = await call('POST', '/v1/auth/login', {
        body: { username: user.username, password: user.password, deviceName: 'iPad' },
        ip: randomIp(),
      });
      const list = await call('GET', '/v1/me/sessions', { token: phone.body.accessToken });
      expect(list.status).toBe(200);
      expect(list.body.items.map((s: { deviceName: string | null }) => s.deviceName)).toEqual(['iPad', 'Pixel', null]);
      expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(list.body.nextCursor).toBeNull();
      // Paged like every list: the same sessions, two and then one.
      const first = await call('GET', '/v1/me/sessions?limit=2', { token: phone.body.accessToken });
      expect(first.body.items).toEqual(list.body.items.slice(0, 2));
      const rest = await call('GET', `/v1/me/sessions?limit=2&cursor=${first.body.nextCursor}`, {
        token: phone.body.accessToken,
      });
      expect(rest.body).toEqual({ items: list.body.items.slice(2), nextCursor: null });
      const tabletSession = list.body.items.find((s: { deviceName: string }) => s.deviceName === 'iPad');

      const revoke = await call('DELETE', `/v1/me/sessions/${tabletSession.id}`, { token: phone.body.accessToken });
      expect(revoke.status).toBe(204);
      expect((await call('GET', '/v1/me', { token: tablet.body.accessToken })).status).toBe(401);
      // A revoked login answers the same however often its token comes back: a retry is no theft.
      for (let attempt = 0; attempt < 2; attempt++) {
        const refresh = await call('POST', '/v1/auth/refresh', {
          body: { refreshToken: tablet.body.refreshToken },
          ip: randomIp(),
        });
        expect({ status: refresh.status, code: refresh.body.error.code }).toEqual({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
      expect(
        (await call('DELETE', `/v1/me/sessions/${tabletSession.id}`, { token: phone.body.accessToken })).status,
      ).toBe(404);
      expect((await call('DELETE', '/v1/me/sessions/not-an-id', { token: phone.body.accessToken })).status).toBe(404);

      const logout = await call('POST', '/v1/auth/logout', {
        token: phone.body.accessToken,
        body: { refreshToken: phone.body.refreshToken },
      });
      expect(logout.status).toBe(204);
      expect((await call('GET', '/v1/me', { token: phone.body.accessToken })).status).toBe(401);
      expect((await call('GET', '/v1/me', { token: user.accessToken })).status).toBe(200);
    });

    it("cannot revoke another user's session", async () => {
      const alice = await registerUser(call);
      const mallory = await registerUser(call);
      const sessions = await call('GET', '/v1/me/sessions', { token: alice.accessToken });
      const res = await call('DELETE', `/v1/me/sessions/${sessions.body.items[0].id}`, { token: mallory.accessToken });
      expect(res.status).toBe(404);
      expect((await call('GET', '/v1/me', { token: alice.accessToken })).status).toBe(200);
    });
  });

  it('documents the auth model in the OpenAPI spec', async () => {
    const spec = (await call('GET', '/docs-json')).body;
    for (const path of [
      '/v1/auth/register',
      '/v1/auth/login',
      '/v1/auth/refresh',
      '/v1/auth/logout',
      '/v1/me/sessions/{id}',
    ]) {
      expect(spec.paths).toHaveProperty([path]);
    }
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
