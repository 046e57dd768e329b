import sharp from 'sharp';

/**
 * The one place libvips' process-wide settings are made; every module that uses sharp
 * imports sharp from here.
 *
 * - Cache off: each upload is decoded exactly once, so the operation cache only holds
 *   memory (tens of MB per large image) and could serve stale pixels for a reused temp path.
 * - One libvips thread per image: the worker already runs several jobs at once and libuv
 *   runs up to four sharp pipelines in parallel; more threads per image would only
 *   oversubscribe the cores and multiply peak memory.
 */
sharp.cache(false);
sharp.concurrency(1);

export { sharp };
