import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web client is served from its own origin and reaches the API through this proxy, so
// the browser sees one origin (no CORS) for REST and socket.io alike. Presigned storage
// URLs are only ever loaded by <img>/<video> elements, which need no CORS either.
const api = process.env.EPHEMERA_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const proxy = {
  '/v1': { target: api },
  '/health': { target: api },
  '/socket.io': { target: api, ws: true },
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
