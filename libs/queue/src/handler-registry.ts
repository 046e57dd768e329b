import { JobName } from './job-catalogue';

export interface DiscoveredHandler {
  job: string;
  owner: string;
  run: (payload: unknown, job: unknown, token?: string) => Promise<unknown>;
}

export class HandlerRegistryError extends Error {
  override name = 'HandlerRegistryError';
}

/**
 * Pairs every catalogue job with exactly one handler. A job without a handler,
 * a job with two, or a handler for a job the catalogue does not know is a
 * start-up error: a worker that cannot run all its jobs must not take any.
 */
export function buildHandlerRegistry(
  catalogue: readonly JobName[],
  discovered: readonly DiscoveredHandler[],
): Map<JobName, DiscoveredHandler> {
  const problems: string[] = [];
  const registry = new Map<JobName, DiscoveredHandler>();
  for (const handler of discovered) {
    if (!catalogue.includes(handler.job as JobName)) {
      problems.push(`${handler.owner} handles unknown job ${handler.job}`);
      continue;
    }
    const existing = registry.get(handler.job as JobName);
    if (existing) problems.push(`job ${handler.job} has two handlers: ${existing.owner} and ${handler.owner}`);
    else registry.set(handler.job as JobName, handler);
  }
  for (const job of catalogue) if (!registry.has(job)) problems.push(`job ${job} has no handler`);
  if (problems.length > 0) throw new HandlerRegistryError(`job handlers are incomplete: ${problems.join('; ')}`);
  return registry;
}
