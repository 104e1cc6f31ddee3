import { defineConfig, type Plugin } from "vite";

// Tauri's `freezePrototype` freezes Object.prototype. Preact copies a vnode with
// `assign({}, vnode)` (a `for … in` loop of plain assignments), and every vnode carries an own
// `constructor: undefined`: assigning `constructor` onto `{}` then hits the frozen, read-only
// `Object.prototype.constructor` and throws in strict code (the "override mistake"), so no
// component ever re-renders. Preact's `assign` is rewritten to define the properties instead
// (same result on the plain objects preact passes it). The build fails if preact changes the
// function, so the fix is never silently lost.
const PREACT_ASSIGN = "function m(n,l){for(var u in l)n[u]=l[u];return n}";
function preactFrozenPrototype(): Plugin {
  return {
    name: "dxplan-preact-frozen-prototype",
    enforce: "pre",
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.(mjs|module\.js)$/.test(id)) return null;
      if (!code.includes(PREACT_ASSIGN)) {
        throw new Error(`preact's assign() changed (${id}): check it under freezePrototype and update vite.config.ts`);
      }
      return code.replace(
        PREACT_ASSIGN,
        "function m(n,l){for(var u in l)Object.defineProperty(n,u,{value:l[u],writable:!0,enumerable:!0,configurable:!0});return n}",
      );
    },
  };
}

// Everything is bundled into dist/ (served by Tauri from the app itself): no CDN, no remote
// fonts, no inline scripts or styles (the CSP allows 'self' only).
export default defineConfig({
  plugins: [preactFrozenPrototype()],
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
