import { AppConfig, loadConfig } from '@app/config';

/** The configuration the suite runs with (infra/test.sh exports it), with overrides. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...overrides });
}

/**
 * A valid configuration for unit tests, which reach no service: the required settings with
 * placeholder values and nothing read from the environment, with overrides.
 */
export function unitConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    JWT_SECRET: 'a-test-secret-that-is-long-enough-1234',
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_ACCESS_KEY_ID: 'key',
    S3_SECRET_ACCESS_KEY: 'secret',
    ...overrides,
  });
}
