import { AppConfig, loadConfig } from '@app/config';

/** The configuration the suite runs with (infra/test.sh exports it), with overrides. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...overrides });
}
