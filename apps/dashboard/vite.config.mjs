// The dashboard's build: one page, its script and styles bundled with chart.js into
// dist/apps/dashboard (reporting copies it next to its main.js and serves it at /). Nothing is
// loaded from another origin: no CDN, no web font; reporting's Content-Security-Policy enforces it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the page works wherever reporting is mounted (an ingress path prefix too).
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Inline nothing as data: URLs; every asset is a file of its own.
    assetsInlineLimit: 0,
  },
});
