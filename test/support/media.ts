import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Call, Json } from './http';
import { pollUntil } from './poll';

/** What a naive client would declare for a file: its extension, nothing more. */
export function declaredType(file: string): string {
  const types: Record<string, string> = {
    '.jpg': 'image/jpeg',
    '.png': 'image/png',
    '.webp': 'image/webp',
    '.gif': 'image/gif',
    '.svg': 'image/svg+xml',
    '.mp4': 'video/mp4',
    '.mov': 'video/quicktime',
    '.webm': 'video/webm',
  };
  return types[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** POST /v1/media with `file` as its one part, as a browser would send it. */
export async function postMedia(baseUrl: string, token: string, file: Blob, name: string) {
  const form = new FormData();
  form.append('file', file, name);
  const res = await fetch(`${baseUrl}/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

/** POST /v1/media of the file at `path`, typed by its extension as a browser would. */
export async function uploadMultipart(baseUrl: string, token: string, path: string) {
  return postMedia(baseUrl, token, new Blob([await readFile(path)], { type: declaredType(path) }), basename(path));
}

/** POST /v1/media/uploads, PUT (or parts), complete — the direct path. */
export async function uploadDirect(call: Call, token: string, path: string) {
  const bytes = await readFile(path);
  const created = await call('POST', '/v1/media/uploads', {
    token,
    body: { contentType: declaredType(path), size: bytes.length },
  });
  if (created.status !== 201) return { ...created, uploadId: undefined };
  const upload = created.body;
  if (upload.method === 'PUT') {
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    if (put.status !== 200) throw new Error(`PUT to storage failed: ${put.status}`);
  } else {
    for (const part of upload.parts as { partNumber: number; url: string }[]) {
      const chunk = bytes.subarray((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
      const put = await fetch(part.url, { method: 'PUT', body: chunk });
      if (put.status !== 200) throw new Error(`part ${part.partNumber} failed: ${put.status}`);
    }
  }
  // The media id travels with the answer: a refusal at complete names no id, but its row exists.
  return {
    ...(await call('POST', `/v1/media/uploads/${upload.id}/complete`, { token, body: {} })),
    uploadId: upload.id as string,
  };
}

/** Polls GET /v1/media/:id until processing ends. */
export function settled(call: Call, token: string, id: string, timeoutMs = 60000) {
  return pollUntil(
    () => call('GET', `/v1/media/${id}`, { token }),
    (res) => res.status === 200 && (res.body.status === 'ready' || res.body.status === 'failed'),
    { timeoutMs, intervalMs: 100, what: `media ${id} to settle` },
  ).then((res) => res.body);
}

export interface ProbeJson {
  format: { duration?: string; tags?: Record<string, string> };
  streams: {
    codec_type: string;
    width?: number;
    height?: number;
    tags?: Record<string, string>;
    side_data_list?: { side_data_type?: string; rotation?: number }[];
  }[];
}

/** The size a player shows a probed video at: its coded size, turned by its display matrix. */
export function displayedSize(probe: ProbeJson): { width: number; height: number } {
  const video = probe.streams.find((s) => s.codec_type === 'video')!;
  const rotation = video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0;
  const turned = Math.abs(rotation) % 180 === 90;
  return turned ? { width: video.height!, height: video.width! } : { width: video.width!, height: video.height! };
}

export function ffprobe(path: string): ProbeJson {
  const out = spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`ffprobe failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as ProbeJson;
}
