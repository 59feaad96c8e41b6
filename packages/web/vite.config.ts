import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `@cairn/client/session` resolves to its TypeScript source: the app bundles it, no client build needed first.
const sessionClient = fileURLToPath(new URL("../client/src/session-client.ts", import.meta.url));

// biome-ignore lint/style/noDefaultExport: Vite reads the config's default export.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@cairn/client/session": sessionClient } },
  // `npm run dev`: the app with hot reload on :5173, the APIs from a Cairn running on :8080 (`npm start`).
  server: {
    proxy: Object.fromEntries(
      ["/api", "/admin", "/agent", "/data"].map((prefix) => [
        prefix,
        process.env.CAIRN_URL ?? "http://127.0.0.1:8080",
      ]),
    ),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
  },
});
