import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `@cairn/client/session` resolves to its TypeScript source: the app bundles it, no client build needed first.
const sessionClient = fileURLToPath(new URL("../client/src/session-client.ts", import.meta.url));

// biome-ignore lint/style/noDefaultExport: Vite reads the config's default export.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@cairn/client/session": sessionClient } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
  },
});
