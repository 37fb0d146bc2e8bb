import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const webDir = path.join(repoRoot, 'apps/web');
export const webDist = path.join(webDir, 'dist');
const STAMP = '.source-hash';

function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'e2e') yield* files(p);
    } else yield p;
  }
}

/** A hash of everything the web build reads; the build is stale when it differs from the stamp in `dist/`. */
export function webSourceHash(): string {
  const h = createHash('sha256');
  const inputs = [
    ...files(path.join(webDir, 'src')),
    ...files(path.join(webDir, 'public')),
    ...files(path.join(repoRoot, 'packages/shared/src')),
    path.join(webDir, 'index.html'),
    path.join(webDir, 'vite.config.ts'),
    path.join(webDir, 'package.json'),
  ];
  for (const f of inputs) {
    if (!fs.existsSync(f)) continue;
    h.update(path.relative(repoRoot, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex');
}

export function isWebBuildFresh(): boolean {
  const stamp = path.join(webDist, STAMP);
  return (
    fs.existsSync(path.join(webDist, 'index.html')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === webSourceHash()
  );
}

/** Build the web app when the build is missing or stale. Returns false when no build tool is installed. */
export function ensureWebBuild(log: (msg: string) => void = console.log): boolean {
  if (isWebBuildFresh()) return true;
  const vite = path.join(repoRoot, 'node_modules/vite/bin/vite.js');
  if (!fs.existsSync(vite)) {
    log('未找到 vite，无法构建网页端（请运行 npm install）。仅提供 API。');
    return fs.existsSync(path.join(webDist, 'index.html'));
  }
  log('正在构建网页端（首次启动或源码已更新）……');
  const hash = webSourceHash();
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('网页端构建失败（vite build）');
  fs.writeFileSync(path.join(webDist, STAMP), hash);
  return true;
}
