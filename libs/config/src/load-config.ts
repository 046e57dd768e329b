import { ZodError } from 'zod';
import { AppConfig, configSchema } from './config.schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as they do in most shells and orchestrators. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function describe(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const name = issue.path.join('.') || 'environment';
      const reason = issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
      return `${name} ${reason.replace(/^must/, 'must').replace(/^Invalid url$/i, 'must be a URL')}`;
    })
    .join('; ');
}

/**
 * Parses the environment into the typed configuration. Throws a ConfigError whose
 * message is one line naming each bad variable; it never echoes a value, since
 * values may be secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describe(parsed.error)}`);
  return Object.freeze(parsed.data);
}

/**
 * For process entry points: the configuration, or one JSON log line naming what
 * is wrong and exit code 1, before anything else starts.
 */
export function loadConfigOrExit(service: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: error.message })}\n`);
    process.exit(1);
  }
}
