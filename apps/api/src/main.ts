import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@app/config';
import { createApi, stopOnSignals } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  const app = await createApi(config);
  await app.listen(config.PORT, config.HOST);
  stopOnSignals(app, config);
  const base = `http://${config.HOST}:${config.PORT}`;
  new Logger('Api').log({ url: base, docs: `${base}/docs`, ready: `${base}/health/ready` }, `API listening on ${base}`);
}

void main();
