import { spawn } from 'node:child_process';

export interface RunProcessOptions {
  /** The child is killed (SIGKILL) when it runs longer; hostile inputs can make decoders spin. */
  timeoutMs: number;
  /** stdout beyond this kills the child: output we parse must not grow without bound. */
  maxStdoutBytes?: number;
  /** Only the last bytes of stderr are kept, for error messages. */
  maxStderrBytes?: number;
  signal?: AbortSignal;
}

export interface RunProcessResult {
  stdout: Buffer;
  stderr: string;
}

export type ProcessFailure = 'spawn' | 'exit' | 'timeout' | 'output-limit' | 'aborted';

export class ProcessError extends Error {
  override name = 'ProcessError';

  constructor(
    readonly reason: ProcessFailure,
    readonly command: string,
    message: string,
    readonly stderr = '',
    readonly exitCode: number | null = null,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_STDOUT = 4 * 1024 * 1024;
const DEFAULT_MAX_STDERR = 16 * 1024;

/**
 * Runs a program with an argument array and no shell, so nothing in a file name or a
 * probed value can be interpreted as shell syntax. Resolves with stdout on exit code 0;
 * every other outcome rejects with a ProcessError saying why.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<RunProcessResult> {
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ProcessError('aborted', command, `${command} was aborted before it started`));
      return;
    }
    const child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: ProcessFailure | null = null;
    let settled = false;

    const kill = (reason: ProcessFailure) => {
      if (failure) return;
      failure = reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (error: ProcessError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ stdout: Buffer.concat(stdout), stderr });
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) kill('output-limit');
      else stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-maxStderr);
    });
    child.on('error', (error) => {
      finish(new ProcessError('spawn', command, `${command} could not be started: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      const tail = stderr.trim();
      if (failure === 'timeout') {
        finish(new ProcessError('timeout', command, `${command} ran longer than ${options.timeoutMs} ms`, tail));
      } else if (failure === 'output-limit') {
        finish(new ProcessError('output-limit', command, `${command} wrote more than ${maxStdout} bytes`, tail));
      } else if (failure === 'aborted') {
        finish(new ProcessError('aborted', command, `${command} was aborted`, tail));
      } else if (code !== 0) {
        const status = code === null ? `signal ${signal}` : `code ${code}`;
        const detail = tail ? `: ${tail.split('\n').slice(-3).join(' | ')}` : '';
        finish(new ProcessError('exit', command, `${command} exited with ${status}${detail}`, tail, code));
      } else {
        finish(null);
      }
    });
  });
}
