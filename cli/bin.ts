/** Process entry of `dist-cli/telemetry-truth.js`: wires the real process into `main`. */
import { main } from './main';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then(
  (code) => {
    // exitCode (not exit()) lets a large report drain into a pipe before the process ends.
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`telemetry-truth: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 3;
  }
);
