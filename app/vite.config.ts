import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

// The renderer: built to app/dist, served by the web bridge and loaded by the Electron window.
export default defineConfig({
  root: path.resolve(__dirname),
  base: './',
  plugins: [react()],
  // the host replaces this placeholder with a fresh nonce per response (style tags ag-grid injects need it)
  html: { cspNonce: 'DFAE_CSP_NONCE' },
  build: {
    outDir: path.resolve(__dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
  },
});
