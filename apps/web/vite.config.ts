import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web client is served from its own origin and reaches the API through this proxy, so
// the browser sees one origin (no CORS) for REST and socket.io alike. Presigned storage
// URLs are only ever loaded by <img>/<video> elements, which need no CORS either.
// xfwd: the proxy passes each browser's address on in X-Forwarded-For, which the API trusts
// from loopback (TRUST_PROXY); without it every browser would share the proxy's address,
// and with it the per-address rate limits (login, sign-up, refresh).
const api = process.env.EPHEMERA_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const proxy = {
  '/v1': { target: api, xfwd: true },
  '/health': { target: api, xfwd: true },
  '/socket.io': { target: api, ws: true, xfwd: true },
};
const port = Number(process.env.WEB_PORT ?? 5173);

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: { '@app/client-sdk': fileURLToPath(new URL('../../libs/client-sdk/src', import.meta.url)) },
  },
  build: { outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)), emptyOutDir: true },
  server: { host: '127.0.0.1', port, proxy },
  preview: { host: '127.0.0.1', port, strictPort: true, proxy },
});
