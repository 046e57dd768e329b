/**
 * Counters that workers keep in Redis and API nodes export at /metrics, so the figure is
 * the whole deployment's whichever worker counted.
 */
export const SWEEP_FINDINGS_KEY = 'ephemera:metrics:sweep-findings';
