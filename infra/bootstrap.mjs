// Prepares the services that infra/stack.sh started, for the configuration in the
// environment: creates the database if it is missing, applies the versioned SQL
// migrations in infra/migrations, and creates the bucket if it is missing.
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

const log = (message) => console.log(`[stack] ${message}`);

async function retry(what, fn, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await retry('postgresql', () => client.connect());
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      log(`postgresql: creating database ${name}`);
      await client.query(`create database ${pg.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

async function migrate(url) {
  const applied = await runner({
    databaseUrl: url,
    dir: new URL('./migrations', import.meta.url).pathname,
    migrationsTable: 'pgmigrations',
    direction: 'up',
    checkOrder: true,
    log: () => undefined,
  });
  log(
    `postgresql: ${applied.length} migration(s) applied${applied.length ? `: ${applied.map((m) => m.name).join(', ')}` : ''}`,
  );
}

async function ensureBucket(env) {
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await retry('s3', async () => {
      try {
        await s3.send(new HeadBucketCommand({ Bucket: env.S3_BUCKET }));
      } catch (error) {
        if (error?.$metadata?.httpStatusCode !== 404) throw error;
        log(`s3: creating bucket ${env.S3_BUCKET}`);
        await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
      }
    });
    await ensureLifecycle(s3, env.S3_BUCKET);
  } finally {
    s3.destroy();
  }
}

// Backstops behind the jobs that delete on time: leftover originals and unfinished
// multipart uploads go after a day, anything at all after two (no snap lives that long).
async function ensureLifecycle(s3, bucket) {
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'uploads-1-day',
              Status: 'Enabled',
              Filter: { Prefix: 'uploads/' },
              Expiration: { Days: 1 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
            { ID: 'everything-2-days', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 2 } },
          ],
        },
      }),
    );
  } catch (error) {
    // Some S3-compatible servers do not implement lifecycle rules.
    log(`s3: lifecycle rules not set (${error.name}); the expiry jobs and sweeps still delete everything`);
  }
}

try {
  await ensureDatabase(process.env.DATABASE_URL);
  await migrate(process.env.DATABASE_URL);
  await ensureBucket(process.env);
} catch (error) {
  console.error(`[stack] error: ${error.message}`);
  process.exit(1);
}
