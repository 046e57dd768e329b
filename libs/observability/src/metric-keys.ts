/**
 * Counters that workers keep in Redis and API nodes export at /metrics (workers
 * have no HTTP server to be scraped on).
 */
export const SWEEP_FINDINGS_KEY = 'ephemera:metrics:sweep-findings';
