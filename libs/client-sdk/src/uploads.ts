import { ApiError, UploadInterruptedError } from './errors';
import { Http, readJson } from './http';
import type { CompletedPart, DirectUpload, Media, UploadStatus } from './types';

export interface UploadProgress {
  /** Bytes the server or storage holds (parts stored before a resume count as loaded). */
  loaded: number;
  total: number;
}

/**
 * - `stream`: POST /v1/media (multipart/form-data through the API, same origin).
 * - `direct`: presigned PUT, or presigned S3 multipart for large files (resumable), straight to storage.
 * - `auto` (default): `stream` in browsers, whose pages usually cannot reach the storage origin
 *   (another origin, maybe without CORS), and `direct` elsewhere.
 */
export type UploadMethod = 'auto' | 'stream' | 'direct';

export interface UploadOptions {
  /** Defaults to the Blob's type, else what the first bytes say (JPEG, PNG, GIF, WebP, MP4, MOV, WebM). */
  contentType?: string;
  method?: UploadMethod;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** Direct uploads: called with the new upload (its `id` is what `resume` takes). */
  onUploadCreated?: (upload: DirectUpload) => void;
  /** The file name sent with `stream` uploads (the server ignores it for the type). */
  fileName?: string;
}

export type UploadInput = Blob | Uint8Array;

interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

/** The XMLHttpRequest subset used for upload progress in browsers. */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  send(body?: unknown): void;
  abort(): void;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  upload: { onprogress: ((event: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

const xhrConstructor = () =>
  (globalThis as unknown as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest ?? undefined;
const inBrowser = () => typeof (globalThis as { document?: unknown }).document !== 'undefined';

export const toBlob = (file: UploadInput, type?: string): Blob =>
  file instanceof Blob ? file : new Blob([file], type ? { type } : {});

/** The type of a file from its first bytes, for the formats the API accepts. */
export async function sniffContentType(blob: Blob): Promise<string | undefined> {
  const b = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm';
  if (ascii(4, 8) === 'ftyp') return ascii(8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  return undefined;
}

/** Both ways of getting bytes to the server, with progress, and resuming S3 multipart uploads. */
export class Uploader {
  constructor(private readonly http: Http) {}

  async upload(file: UploadInput, options: UploadOptions = {}): Promise<Media> {
    const blob = toBlob(file, options.contentType);
    const contentType =
      options.contentType || blob.type || (await sniffContentType(blob)) || 'application/octet-stream';
    const method = options.method ?? 'auto';
    const direct = method === 'direct' || (method === 'auto' && !inBrowser());
    return direct ? this.direct(blob, contentType, options) : this.stream(blob, contentType, options);
  }

  /**
   * Continues a direct upload after an interruption: asks which parts storage holds
   * (GET /v1/media/uploads/:id), sends only the missing ones, then completes it.
   */
  async resume(id: string, file: UploadInput, options: UploadOptions = {}): Promise<Media> {
    const blob = toBlob(file, options.contentType);
    const path = `/v1/media/uploads/${encodeURIComponent(id)}`;
    const status = await this.http.request<UploadStatus>('GET', path, { signal: options.signal });
    if (status.status !== 'uploading') {
      options.onProgress?.({ loaded: blob.size, total: blob.size });
      return this.http.request<Media>('GET', `/v1/media/${encodeURIComponent(id)}`, { signal: options.signal });
    }
    const parts = await this.transfer(status, blob, status.uploadedParts ?? [], options);
    return this.complete(id, parts, options.signal);
  }

  private async direct(blob: Blob, contentType: string, options: UploadOptions): Promise<Media> {
    const created = await this.http.request<DirectUpload>('POST', '/v1/media/uploads', {
      body: { contentType, size: blob.size },
      signal: options.signal,
    });
    options.onUploadCreated?.(created);
    const parts = await this.transfer(created, blob, [], options);
    return this.complete(created.id, parts, options.signal);
  }

  private complete(id: string, parts: CompletedPart[] | undefined, signal?: AbortSignal): Promise<Media> {
    return this.http.request<Media>('POST', `/v1/media/uploads/${encodeURIComponent(id)}/complete`, {
      body: parts ? { parts } : {},
      signal,
    });
  }

  /** Sends the bytes storage lacks; answers every part's ETag in order (multipart) or nothing (single PUT). */
  private async transfer(
    upload: DirectUpload,
    blob: Blob,
    stored: UploadedPart[],
    options: UploadOptions,
  ): Promise<CompletedPart[] | undefined> {
    const total = blob.size;
    const report = (loaded: number) => options.onProgress?.({ loaded: Math.min(loaded, total), total });
    try {
      if (upload.url) {
        report(0);
        await this.put(upload.url, blob, upload.headers ?? {}, report, options.signal);
        report(total);
        return undefined;
      }
      if (!upload.partSize || !upload.parts) throw new Error('The server sent no upload URLs.');
      const etags = new Map(stored.map((p) => [p.partNumber, p.etag]));
      let loaded = stored.reduce((sum, p) => sum + p.size, 0);
      report(loaded);
      for (const part of [...upload.parts].sort((a, b) => a.partNumber - b.partNumber)) {
        const chunk = blob.slice((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
        const base = loaded;
        const res = await this.put(part.url, chunk, {}, (n) => report(base + n), options.signal);
        loaded += chunk.size;
        report(loaded);
        const etag = res.headers.get('etag');
        if (etag) etags.set(part.partNumber, etag);
      }
      // Without CORS exposing ETag a browser cannot read it; the server then checks the parts itself.
      const count = Math.ceil(total / upload.partSize);
      const all = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, etag: etags.get(i + 1) }));
      return all.every((p) => p.etag !== undefined) ? (all as CompletedPart[]) : undefined;
    } catch (error) {
      throw new UploadInterruptedError(upload.id, error);
    }
  }

  /** One PUT to a presigned storage URL; `onLoaded` hears the bytes sent so far. */
  private async put(
    url: string,
    body: Blob,
    headers: Record<string, string>,
    onLoaded: (loaded: number) => void,
    signal?: AbortSignal,
  ): Promise<Response> {
    const res = xhrConstructor()
      ? await xhrSend({ method: 'PUT', url, headers, body, signal, onUploadProgress: onLoaded })
      : await this.http.fetch(url, { method: 'PUT', headers, body, signal });
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      throw new ApiError({
        status: res.status,
        code: 'UPLOAD_INCOMPLETE',
        message: `Storage refused the upload (HTTP ${res.status}${code ? ` ${code}` : ''}).`,
        details: code ? { storageCode: code } : undefined,
      });
    }
    onLoaded(body.size);
    return res;
  }

  /** POST /v1/media: multipart/form-data through the API, counting the file's bytes as they go out. */
  private async stream(blob: Blob, contentType: string, options: UploadOptions): Promise<Media> {
    const total = blob.size;
    const report = (loaded: number) => options.onProgress?.({ loaded: Math.max(0, Math.min(loaded, total)), total });
    const url = this.http.url('/v1/media');
    const fileName = (options.fileName ?? 'upload').replace(/["\r\n]/g, '_');
    report(0);
    const res = await this.http.authorized((token) => {
      const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (xhrConstructor() && typeof FormData !== 'undefined') {
        const form = new FormData();
        form.append('file', new Blob([blob], { type: contentType }), fileName);
        return xhrSend({
          method: 'POST',
          url,
          headers: auth,
          body: form,
          signal: options.signal,
          onUploadProgress: report,
        });
      }
      const boundary = `----ephemera${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      const head = new TextEncoder().encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
          `Content-Type: ${contentType}\r\n\r\n`,
      );
      const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
      let sent = 0;
      const counted = new Blob([head, blob, tail]).stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            sent += chunk.byteLength;
            report(sent - head.byteLength);
            controller.enqueue(chunk);
          },
        }),
      );
      const init = {
        method: 'POST',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: counted,
        duplex: 'half',
        signal: options.signal,
      } as RequestInit;
      return this.http.fetch(url, init);
    });
    const media = await readJson<Media>(res);
    report(total);
    return media;
  }
}

interface XhrRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  onUploadProgress: (loaded: number) => void;
}

/** An XMLHttpRequest (the only browser API with upload progress), answered as a fetch Response. */
function xhrSend(request: XhrRequest): Promise<Response> {
  const Xhr = xhrConstructor()!;
  return new Promise((resolve, reject) => {
    if (request.signal?.aborted) return reject(request.signal.reason);
    const xhr = new Xhr();
    const onAbort = () => xhr.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => request.signal?.removeEventListener('abort', onAbort);
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => request.onUploadProgress(event.loaded);
    xhr.onload = () => {
      done();
      const headers = new Headers();
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
      resolve(
        new Response(empty ? null : xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers }),
      );
    };
    xhr.onerror = () => {
      done();
      reject(new TypeError(`Network error: ${request.method} ${request.url}`));
    };
    xhr.onabort = () => {
      done();
      reject(request.signal?.reason ?? new Error('Aborted'));
    };
    xhr.send(request.body);
  });
}
