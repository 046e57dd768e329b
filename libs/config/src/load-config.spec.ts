import { ConfigError, loadConfig } from './load-config';

const base = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  S3_ACCESS_KEY_ID: 'key',
  S3_SECRET_ACCESS_KEY: 'secret',
  JWT_SECRET: 'a-test-secret-that-is-long-enough-1234',
};

describe('loadConfig', () => {
  it('applies the defaults that point at the local stack', () => {
    const config = loadConfig(base);
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.SNAP_TTL_SECONDS).toBe(86400);
    expect(config.VIEW_GRACE_SECONDS).toBe(30);
    expect(config.S3_FORCE_PATH_STYLE).toBe(true);
    expect(config.ADMIN_PASSWORD).toBeUndefined();
  });

  it('coerces numbers and booleans from strings', () => {
    const config = loadConfig({ ...base, PORT: '3001', SNAP_TTL_SECONDS: '5', S3_FORCE_PATH_STYLE: 'false' });
    expect(config.PORT).toBe(3001);
    expect(config.SNAP_TTL_SECONDS).toBe(5);
    expect(config.S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('reads TRUST_PROXY as Express takes it, and refuses what Express would misread', () => {
    const trust = (value: string) => loadConfig({ ...base, TRUST_PROXY: value }).TRUST_PROXY;
    expect(loadConfig(base).TRUST_PROXY).toBe('loopback');
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8 , 192.168.1.1/255.255.255.0')).toBe(
      'loopback,10.0.0.0/8,fd00::/8,192.168.1.1/255.255.255.0',
    );
    for (const bad of ['yes', '10.0.0.0/33', 'loopback,proxy.internal', '1.2.3.4/8/8']) {
      expect(() => trust(bad)).toThrow(/^invalid configuration: TRUST_PROXY /);
    }
  });

  it('names the bad variable in one line without echoing its value', () => {
    const attempt = () => loadConfig({ ...base, S3_ENDPOINT: 'not a url', S3_SECRET_ACCESS_KEY: 'hunter2' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^invalid configuration: S3_ENDPOINT /);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('not a url');
    }
  });

  it('says which required variables are missing', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required.*S3_ACCESS_KEY_ID is required/);
  });

  it('refuses a port out of range and a non-redis REDIS_URL', () => {
    expect(() => loadConfig({ ...base, PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'http://localhost' })).toThrow(/REDIS_URL must use redis or rediss/);
  });

  it('refuses a short JWT secret', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it("refuses the repository's development credentials in production, and names only the variables", () => {
    const dev = {
      ...base,
      JWT_SECRET: 'ephemera-dev-jwt-secret-not-for-production',
      ADMIN_PASSWORD: 'ephemera-dev-admin',
      S3_SECRET_ACCESS_KEY: 'ephemera-dev-secret',
      DATABASE_URL: 'postgres://ephemera:ephemera-dev-password@db:5432/ephemera',
    };
    expect(() => loadConfig(dev)).not.toThrow();
    const refused = (() => {
      try {
        loadConfig({ ...dev, NODE_ENV: 'production' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['JWT_SECRET', 'ADMIN_PASSWORD', 'S3_SECRET_ACCESS_KEY', 'DATABASE_URL']) {
      expect(refused).toContain(`${name} must not be a development credential in production`);
    }
    expect(refused).not.toContain('ephemera-dev');
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).not.toThrow();
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).PORT).toBe(3000);
  });
});
