#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when web/dist/index.html is missing or older than any source:
// web/src/**, web/index.html, web/vite.config.ts, web/tsconfig.json, and the server schema/constant files
// the web app imports types and labels from. Used by `npm start` and the browser tests.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newest } from './newest.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const distIndex = join(web, 'dist', 'index.html');
const force = process.argv.includes('--force');

const sources = Math.max(
  newest(join(web, 'src')),
  newest(join(web, 'index.html')),
  newest(join(web, 'vite.config.ts')),
  newest(join(web, 'tsconfig.json')),
  // Labels and constants the bundle includes at build time: the pure, web-importable module files.
  newest(join(root, 'src', 'modules'), (p) => /(roles|\.constants|\.actions|\.schemas)\.ts$/.test(p)),
  newest(join(root, 'src', 'app', 'schema-helpers.ts')),
  // Engine files the web imports for labels and vocabularies (pure, no node: imports).
  newest(join(root, 'src', 'engines'), (p) => /((grading|audit-rules|audit-report)[\\/](?!.*\.test\.ts$)[^\\/]+|masking[\\/](target|vocabulary))\.ts$/.test(p)),
);
const built = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;

if (!force && built > 0 && built >= sources) process.exit(0);

const reason = built === 0 ? '未找到 web/dist / web/dist missing' : '源码已更新 / sources changed';
console.log(`正在构建前端界面（${reason}）… Building the web app…`);
try {
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
} catch (err) {
  console.error('\n前端构建失败 / Web build failed:');
  console.error(`  ${err?.message ?? err}`);
  if (err?.message?.includes("Cannot find package 'vite'") || err?.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('  请先运行 npm install（需要开发依赖 vite、react、antd）/ Run `npm install` first (dev dependencies vite, react, antd are needed).');
  }
  console.error('  可单独运行 npm run build:web 查看完整输出 / Run `npm run build:web` for the full output.');
  process.exit(1);
}
if (!existsSync(distIndex)) {
  console.error('前端构建未生成 web/dist/index.html / The web build produced no web/dist/index.html');
  process.exit(1);
}
