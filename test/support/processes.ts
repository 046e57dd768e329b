import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './poll';

export const ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
export const WORKER_MAIN = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exit>;
  stop: (signal?: NodeJS.Signals) => Promise<Exit>;
}

/** Longer than the worker's own shutdown bound (SHUTDOWN_TIMEOUT_MS, 10 s by default). */
const STOP_TIMEOUT_MS = 20000;

/** Starts a built app (dist) or a Node tool as its own OS process, as production runs it. */
export function startProcess(
  script: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
  return {
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      // A process that ignores the signal is killed, so it shows as SIGKILL in the test, never lingers.
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      return exited.finally(() => clearTimeout(force));
    },
  };
}

/**
 * A private S3 server (the same MinIO the stack runs) on its own port and
 * folder, for tests that stop and restart storage without disturbing the rest.
 */
export class PrivateS3Server {
  readonly dir = mkdtempSync(join(tmpdir(), 'ephemera-s3-'));
  private process?: RunningProcess;

  constructor(
    readonly port: number,
    private readonly accessKey: string,
    private readonly secretKey: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const child = spawn(join(ROOT, 'infra/s3-server.sh'), [`127.0.0.1:${this.port}`, this.dir], {
      env: { ...process.env, S3_ACCESS_KEY_ID: this.accessKey, S3_SECRET_ACCESS_KEY: this.secretKey },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
    this.process = {
      child,
      output: () => '',
      exited,
      stop: async (signal = 'SIGKILL') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
    };
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGKILL');
    this.process = undefined;
  }
}

export interface ApiNode {
  proc: RunningProcess;
  url: string;
}

/** Starts `count` built API processes on free ports, as a deployment runs them, and waits until each is ready. */
export async function startApiNodes(count: number, env: Record<string, string> = {}): Promise<ApiNode[]> {
  const nodes: ApiNode[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    nodes.push({
      proc: startProcess(API_MAIN, { LOG_LEVEL: 'warn', ...env, PORT: String(port) }),
      url: `http://127.0.0.1:${port}`,
    });
  }
  for (const node of nodes) {
    await pollUntil(
      () => fetch(`${node.url}/health/ready`).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 30000, what: `API on ${node.url}` },
    );
  }
  return nodes;
}

/** Starts a built worker process and waits until it runs its queues. */
export async function startWorkerProcess(env: Record<string, string> = {}): Promise<RunningProcess> {
  const worker = startProcess(WORKER_MAIN, { LOG_LEVEL: 'info', ...env });
  await pollUntil(
    async () => worker.output(),
    (out) => out.includes('worker started'),
    { what: 'worker start' },
  );
  return worker;
}
