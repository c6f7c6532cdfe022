import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal: a static single-page app. Runtime settings (API URL, issuer, client id) come from /config.json,
// served next to index.html, so one build runs locally and on AWS.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { host: '127.0.0.1', port: 4604, strictPort: true },
  preview: { host: '127.0.0.1', port: 4604, strictPort: true },
});
