import { defineConfig } from "vite";
import ctjs from "@ctjs/bundler-plugin/vite";

// ctjs instruments the app's modules; in `vite dev` it also receives the recordings the page
// posts and writes them under ./ct-traces (see README.md).
export default defineConfig({
  plugins: [ctjs()],
});
