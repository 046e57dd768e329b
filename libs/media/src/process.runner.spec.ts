import { ProcessError, runProcess } from './process.runner';

const node = process.execPath;

describe('runProcess', () => {
  it('passes arguments verbatim, with no shell to expand them', async () => {
    const hostile = '$(echo pwned); `id` | cat > /tmp/x & "quoted"';
    const { stdout } = await runProcess(node, ['-e', 'process.stdout.write(process.argv[1])', hostile], {
      timeoutMs: 10_000,
    });
    expect(stdout.toString()).toBe(hostile);
  });

  it('refuses a non-zero exit with the end of stderr', async () => {
    const run = runProcess(node, ['-e', 'console.error("bad input"); process.exit(3)'], { timeoutMs: 10_000 });
    await expect(run).rejects.toMatchObject({ reason: 'exit', exitCode: 3, stderr: 'bad input' });
  });

  it('kills a process that overruns its timeout', async () => {
    const started = Date.now();
    const run = runProcess(node, ['-e', 'setTimeout(() => {}, 30000)'], { timeoutMs: 300 });
    await expect(run).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('kills a process whose output exceeds the bound', async () => {
    const run = runProcess(node, ['-e', 'setInterval(() => process.stdout.write("x".repeat(65536)), 1)'], {
      timeoutMs: 10_000,
      maxStdoutBytes: 256 * 1024,
    });
    await expect(run).rejects.toMatchObject({ reason: 'output-limit' });
  });

  it('keeps only the tail of a long stderr', async () => {
    const run = runProcess(node, ['-e', 'console.error("a".repeat(100000) + "END"); process.exit(1)'], {
      timeoutMs: 10_000,
      maxStderrBytes: 1000,
    });
    const error = (await run.catch((e: unknown) => e)) as ProcessError;
    expect(error.stderr.length).toBeLessThanOrEqual(1000);
    expect(error.stderr.endsWith('END')).toBe(true);
  });

  it('reports a program that cannot start', async () => {
    await expect(runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 1000 })).rejects.toMatchObject({
      reason: 'spawn',
    });
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const run = runProcess(node, ['-e', 'setTimeout(() => {}, 30000)'], {
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toMatchObject({ reason: 'aborted' });
  });
});
