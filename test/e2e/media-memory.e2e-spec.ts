import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mediaSampleSets, SAMPLE_CASES } from '../fixtures/samples';
import { startApi, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { Call, client, registerUser } from '../support/http';
import { settled, uploadMultipart } from '../support/media';
import { RunningProcess, startWorkerProcess } from '../support/processes';

/** Peak resident memory of a process so far, from the kernel's own accounting. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * The worker as production runs it (its own process), fed every sample including the
 * hostile ones, all at once: it stays up and its peak memory stays bounded. The bound
 * is the figure measured here (about 270 MB) with generous headroom, far below what the
 * 400-megapixel bomb alone would take to decode (1.6 GB).
 */
describe('worker memory under hostile media', () => {
  const PEAK_RSS_BOUND_MB = 512;
  let api: TestApi;
  let call: Call;
  let worker: RunningProcess;

  beforeAll(async () => {
    api = await startApi(testConfig());
    call = client(api.url);
    worker = await startWorkerProcess();
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('processes every sample and stays within its memory bound', async () => {
    const user = await registerUser(call);
    for (const set of mediaSampleSets()) {
      // Every sample at once: the worker holds as many jobs as it runs at a time (MEDIA_CONCURRENCY).
      await Promise.all(
        SAMPLE_CASES.map(async (sample) => {
          const res = await uploadMultipart(api.url, user.accessToken, join(set.dir, sample.file));
          if (res.status !== 202) {
            // Refused at upload: the manifest's code, never a 5xx.
            const codes = sample.outcome === 'refused' ? sample.codes : [];
            expect({ file: sample.file, refusedAsListed: codes.includes(res.body.error?.code) }).toEqual({
              file: sample.file,
              refusedAsListed: true,
            });
            return;
          }
          const media = await settled(call, user.accessToken, res.body.id);
          expect({ file: sample.file, status: media.status }).toEqual({
            file: sample.file,
            status: sample.outcome === 'accepted' ? 'ready' : 'failed',
          });
        }),
      );
    }
    expect(worker.child.exitCode).toBeNull();
    const peak = await peakRssMb(worker.child.pid!);
    console.log(`worker peak RSS after every sample: ${peak.toFixed(0)} MB`);
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MB);
  });
});
