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

// Only for `vite dev` (`make dev WATCH=1`): the api proxies page requests here
// (client/devProxy.ts); opened directly, this server forwards the api's paths
// back, so either way pages and api share one origin. The HMR websocket always
// connects to this port, since the api does not proxy websockets.
const devApiUrl = process.env.KT_DEV_API_URL ?? "http://127.0.0.1:3000";
const devPort = Number(process.env.KT_WEB_DEV_PORT ?? 3001);
const toApi = { target: devApiUrl, changeOrigin: false };

export default defineConfig({
  plugins: [solidStart(), outputDir(".output")],
  optimizeDeps: {
    // SolidStart's dev error overlay imports this CommonJS/UMD chain; unless it
    // is pre-bundled the browser fails on `resolve-uri` in dev.
    include: ["@jridgewell/trace-mapping"],
  },
  server: {
    port: devPort,
    strictPort: true,
    hmr: { clientPort: devPort },
    proxy: {
      "/api": { ...toApi, ws: true },
      "/healthz": toApi,
      "/readyz": toApi,
      "/metrics": toApi,
    },
  },
});
