import { randomBytes, randomInt } from 'node:crypto';

/** Response bodies in tests are checked by assertions, not by the compiler. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function readJson(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client IP the API sees (it trusts X-Forwarded-For from loopback, as behind a proxy). */
  ip?: string;
}

/** A random client IP, so per-IP rate limits of one test do not bleed into another. */
export const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

export function client(baseUrl: string) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.ip) headers['x-forwarded-for'] = options.ip;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

export type Call = ReturnType<typeof client>;

export interface TestUser {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  ip: string;
}

export const uniqueName = (prefix = 'u') => `${prefix}_${randomBytes(6).toString('hex')}`;

export async function registerUser(call: Call, prefix = 'u'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const ip = randomIp();
  const res = await call('POST', '/v1/auth/register', { body: { username, password }, ip });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    username,
    password,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    ip,
  };
}

/** Two users who are friends. */
export async function befriend(call: Call, a: TestUser, b: TestUser): Promise<void> {
  const req = await call('POST', '/v1/friends/requests', { token: a.accessToken, body: { username: b.username } });
  if (req.status !== 201) throw new Error(`request failed: ${req.status}`);
  const acc = await call('POST', `/v1/friends/requests/${req.body.id}/accept`, { token: b.accessToken });
  if (acc.status !== 200) throw new Error(`accept failed: ${acc.status}`);
}
