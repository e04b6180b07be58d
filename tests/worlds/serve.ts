/**
 * Start one test world and keep it up until killed (SIGINT/SIGTERM), for the browser harness and demo.
 *
 *   npx tsx tests/worlds/serve.ts --world seed-incident [--latency-ms 50] [--datasources 10]
 *                                 [--services 200] [--no-prometheus] [--proxy-timeout-ms 30000]
 *
 * Prints ONE line of JSON on stdout once ready:
 *   {"world":"seed-incident","grafanaUrl":"http://127.0.0.1:PORT","token":null,"datasources":[…],
 *    "directUrls":{…},"expectedServices":[…],"description":"…"}
 * Everything else goes to stderr. Stops on SIGINT/SIGTERM or when its parent process goes away.
 * Note: `npx` does not forward SIGTERM to the child; spawn `node_modules/.bin/tsx` directly, or spawn
 * detached and kill the process group (`process.kill(-child.pid)`).
 */
import { startWorld, WORLD_NAMES, type WorldName, type WorldOptions } from './index';

function usage(msg?: string): never {
  if (msg) {
    process.stderr.write(`serve: ${msg}\n`);
  }
  process.stderr.write(`usage: tsx tests/worlds/serve.ts --world <${WORLD_NAMES.join('|')}> [--latency-ms N] [--datasources N] [--services N] [--no-prometheus] [--proxy-timeout-ms N]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let world: string | undefined;
  const opts: WorldOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) {
        usage(`${flag} needs a value`);
      }
      return v;
    };
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) {
        usage(`${flag} needs a non-negative number`);
      }
      return v;
    };
    switch (flag) {
      case '--world':
        world = value();
        break;
      case '--latency-ms':
        opts.latencyMs = num();
        break;
      case '--datasources':
        opts.datasourceCount = num();
        break;
      case '--services':
        opts.services = num();
        break;
      case '--proxy-timeout-ms':
        opts.proxyTimeoutMs = num();
        break;
      case '--no-prometheus':
        opts.usePrometheus = false;
        break;
      case '-h':
      case '--help':
        usage();
      default:
        usage(`unknown argument ${a}`);
    }
  }
  if (!world || !(WORLD_NAMES as readonly string[]).includes(world)) {
    usage(world ? `unknown world "${world}"` : '--world is required');
  }
  const w = await startWorld(world as WorldName, opts);
  process.stdout.write(
    JSON.stringify({
      world: w.name,
      grafanaUrl: w.grafanaUrl,
      token: w.token ?? null,
      datasources: w.datasources,
      directUrls: w.directUrls,
      expectedServices: w.expectedServices.length > 50 ? w.expectedServices.slice(0, 50) : w.expectedServices,
      expectedServiceCount: w.expectedServices.length,
      description: w.description,
    }) + '\n'
  );
  process.stderr.write(`world "${w.name}" up at ${w.grafanaUrl} — ${w.description}\n`);
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    clearInterval(keepAlive);
    w.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Orphaned (the harness died without killing us): shut down rather than linger on the shared machine.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      stop();
    }
  }, 2000).unref();
}

main().catch((e: unknown) => {
  process.stderr.write(`serve: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
