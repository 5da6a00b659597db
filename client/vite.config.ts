// Build config for the KnowledgeTree web app (SolidStart 2 = a set of Vite plugins).
// `vite build` writes .output/client (browser assets) and .output/server (the
// SSR handler that the api process mounts); see serve.ts.
import { solidStart } from "@solidjs/start/config";
import { defineConfig, type Plugin } from "vite";

// SolidStart hard-codes dist/{client,server} in its own config hook, which
// outranks user config; a later plugin's hook has the last word.
function outputDir(dir: string): Plugin {
  return {
    name: "knowledgetree:output-dir",
    configEnvironment(name) {
      if (name === "client") return { build: { outDir: `${dir}/client` } };
      if (name === "ssr") return { build: { outDir: `${dir}/server` } };
    },
  };
}

// Only for `vite dev`: the api runs as its own process, and the dev server
// forwards its paths there so pages and api still share one origin.
const devApiUrl = process.env.KT_DEV_API_URL ?? "http://127.0.0.1:3000";
const toApi = { target: devApiUrl, changeOrigin: false };

export default defineConfig({
  plugins: [solidStart(), outputDir(".output")],
  optimizeDeps: {
    // SolidStart's dev error overlay imports this CommonJS/UMD chain; unless it
    // is pre-bundled the browser fails on `resolve-uri` in dev.
    include: ["@jridgewell/trace-mapping"],
  },
  server: {
    port: Number(process.env.KT_WEB_DEV_PORT ?? 3001),
    strictPort: true,
    proxy: {
      "/api": { ...toApi, ws: true },
      "/healthz": toApi,
      "/readyz": toApi,
      "/metrics": toApi,
    },
  },
});
