import { defineConfig } from "vite";

// Everything is bundled into dist/ (served by Tauri from the app itself): no CDN, no remote
// fonts, no inline scripts or styles (the CSP allows 'self' only).
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
