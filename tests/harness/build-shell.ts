/**
 * Bundles the harness shell (tests/harness/shell/boot.tsx) with the REAL npm packages of one Grafana line into
 * tests/harness/.cache/<line>/shell.js. The bundle is cached: it is rebuilt only when the shell sources or the
 * line's installed package versions change.
 */
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir, harnessDir, lineGrafanaVersion, LINES, type Line, type LineName } from './lines';

const shellDir = join(harnessDir, 'shell');

function fingerprint(line: Line): string {
  const h = createHash('sha256');
  for (const f of readdirSync(shellDir).sort()) {
    h.update(f).update(readFileSync(join(shellDir, f)));
  }
  h.update(readFileSync(__filename));
  const lock = join(line.root, 'package-lock.json');
  if (existsSync(lock)) {
    h.update(readFileSync(lock));
  }
  h.update(lineGrafanaVersion(line));
  return h.digest('hex').slice(0, 16);
}

/** Resolve every bare import made by the shell's own files from the line's node_modules. */
function lineResolver(line: Line): Plugin {
  return {
    name: 'grafana-line',
    setup(b) {
      // @grafana/runtime imports 'systemjs/dist/system' and 'systemjs/dist/extras/amd' without the extension that
      // systemjs' "exports" map requires (Grafana's webpack resolves it); add it.
      b.onResolve({ filter: /^systemjs\/dist\/[^.]+$/ }, (args) =>
        b.resolve(`${args.path}.js`, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'line' })
      );
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (!args.importer.startsWith(shellDir) || args.pluginData === 'line') {
          return undefined;
        }
        const result = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: line.root,
          pluginData: 'line',
        });
        if (result.errors.length) {
          return { errors: result.errors };
        }
        return { path: result.path, sideEffects: result.sideEffects };
      });
    },
  };
}

export interface ShellBundle {
  file: string;
  grafanaVersion: string;
  /** The line's @grafana/ui `dist/public` (icons), served at /public/. */
  publicDir: string;
}

function publicDirOf(line: Line): string {
  return join(line.root, 'node_modules', '@grafana', 'ui', 'dist', 'public');
}

export async function buildShell(lineName: LineName, opts: { force?: boolean } = {}): Promise<ShellBundle> {
  const line = LINES[lineName];
  const grafanaVersion = lineGrafanaVersion(line);
  const outDir = join(cacheDir, line.name);
  const file = join(outDir, 'shell.js');
  const stamp = join(outDir, 'fingerprint');
  const fp = fingerprint(line);
  if (!opts.force && existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fp) {
    return { file, grafanaVersion, publicDir: publicDirOf(line) };
  }
  mkdirSync(dirname(file), { recursive: true });
  await build({
    entryPoints: [join(shellDir, 'boot.tsx')],
    outfile: file,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    minify: process.env.HARNESS_MINIFY !== '0',
    sourcemap: false,
    logLevel: 'error',
    // Packages resolve from the line root first (the shell's own imports) and then normally (their deps).
    nodePaths: [join(line.root, 'node_modules')],
    mainFields: ['browser', 'module', 'main'],
    define: {
      'process.env.NODE_ENV': '"production"',
      HARNESS_LINE: JSON.stringify(line.name),
      global: 'globalThis',
      // UMD packages (lodash, moment…) must take their CommonJS branch, not the AMD one that SystemJS' global
      // `define` would offer them (Grafana's webpack build resolves them the same way).
      define: 'undefined',
    },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.css': 'empty' },
    plugins: [lineResolver(line)],
  });
  writeFileSync(stamp, fp);
  return { file, grafanaVersion, publicDir: publicDirOf(line) };
}

if (require.main === module) {
  const wanted = process.argv.slice(2).filter((a) => a !== '--force');
  const force = process.argv.includes('--force');
  const names: LineName[] = wanted.length ? (wanted as LineName[]) : ['10.3', 'current'];
  (async () => {
    for (const name of names) {
      const started = Date.now();
      const { file, grafanaVersion } = await buildShell(name, { force });
      process.stdout.write(`${name}: ${file} (@grafana/ui ${grafanaVersion}) in ${Date.now() - started} ms\n`);
    }
  })().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
