/** A controllable stand-in for the engine's runCheck: tests push progress events and settle the run. */
import type { ProgressEvent, Report, RunCheckOptions } from '../engine';

export interface FakeRun {
  runCheck: jest.Mock<Promise<Report>, [RunCheckOptions]>;
  /** Options of the latest call. */
  last: () => RunCheckOptions;
  emit: (event: ProgressEvent) => void;
  /** Emits every cell and datasource of the report, then resolves with it. */
  finish: (report: Report) => void;
  fail: (error: Error) => void;
}

export function fakeRun(): FakeRun {
  let resolve: (r: Report) => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  const runCheck = jest.fn(
    (_options: RunCheckOptions) =>
      new Promise<Report>((res, rej) => {
        resolve = res;
        reject = rej;
      })
  );
  const last = () => runCheck.mock.calls[runCheck.mock.calls.length - 1][0];
  return {
    runCheck,
    last,
    emit: (event) => last().onProgress?.(event),
    finish: (report) => {
      for (const ds of report.datasources) {
        last().onProgress?.({ type: 'datasource', result: ds });
      }
      for (const s of report.services) {
        for (const [signal, cell] of Object.entries(s.signals)) {
          if (cell) {
            last().onProgress?.({ type: 'cell', service: s.name, signal: signal as 'metrics', cell });
          }
        }
      }
      resolve(report);
    },
    fail: (error) => reject(error),
  };
}
