import { INestApplicationContext } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { createApi, stopApi } from '../../apps/api/src/bootstrap';
import { createWorker } from '../../apps/worker/src/bootstrap';

export interface TestApi {
  app: NestExpressApplication;
  url: string;
  close: () => Promise<void>;
}

/** The API app, built and stopped exactly as main.ts does, listening on a free loopback port. */
export async function startApi(config: AppConfig): Promise<TestApi> {
  const app = await createApi(config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { app, url: url.replace('[::1]', '127.0.0.1'), close: () => stopApi(app, config) };
}

export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  return createWorker(config);
}
