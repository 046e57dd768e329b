import 'reflect-metadata';
import { loadConfigOrExit } from '@app/config';
import { createWorker, stopOnSignals } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  stopOnSignals(await createWorker(config));
}

main().catch((error: unknown) => {
  // A worker that cannot run every job (or reach Redis) must not start at all.
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: 'worker', msg: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
