// Vite build for the Shu'an web app. Root is web/; the output in web/dist is served by the app.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev:web` proxies API calls to a running `shuan serve` (override with SHUAN_API_URL).
const api = process.env.SHUAN_API_URL || 'http://127.0.0.1:8080';

/**
 * Vendor code goes into named chunks along package boundaries (react, antd, antd's rc components, its
 * CSS-in-JS and icons, other vendor code) so browsers cache them across releases and no single file is
 * giant. strictExecutionOrder keeps module evaluation order intact across the split chunks (without it,
 * splitting antd's circular imports evaluated some modules too early).
 */
const nm = (pkgs: string) => new RegExp(`node_modules[\\\\/](${pkgs})[\\\\/]`);
const vendorGroups = [
  // ECharts only for the dashboards: chunks of their own, loaded with them. Even with only the modules the
  // charts use (echarts/core, bar, pie, a few components, canvas), ECharts and its renderer zrender come to
  // ~500 kB minified, so zrender is a chunk apart.
  { name: 'zrender', test: nm('zrender'), priority: 71 },
  { name: 'echarts', test: nm('echarts'), priority: 70 },
  { name: 'react', test: nm('react|react-dom|scheduler|react-router|cookie|set-cookie-parser'), priority: 60 },
  { name: 'antd-icons', test: nm('@ant-design[\\\\/]icons|@ant-design[\\\\/]icons-svg'), priority: 50 },
  {
    name: 'antd-style',
    test: nm('@ant-design[\\\\/]cssinjs|@ant-design[\\\\/]cssinjs-utils|@ant-design[\\\\/]colors|@ant-design[\\\\/]fast-color|@emotion|stylis'),
    priority: 45,
  },
  { name: 'antd-rc', test: nm('@rc-component|rc-[^\\\\/]+'), priority: 40 },
  // antd alone is ~550 kB minified: capped, so it comes out as a few files under the 500 kB warning.
  { name: 'antd', test: nm('antd|@ant-design'), priority: 30, maxSize: 300 * 1024 },
  { name: 'vendor', test: /node_modules/, priority: 10 },
];

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/docs': { target: api, changeOrigin: false },
      '/openapi.json': { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        strictExecutionOrder: true,
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
});
