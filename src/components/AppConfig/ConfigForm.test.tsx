import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { DatasourceRef } from '../../engine';
import { testIds } from '../testIds';
import { fakeRun } from '../../test/fakeRun';
import { incidentReport } from '../../test/fixtures';
import { ConfigForm, type ConfigFormDeps } from './ConfigForm';

const DATASOURCES: DatasourceRef[] = [
  { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
  { uid: 'LOKI', name: 'Loki', type: 'loki' },
];

function setup(jsonData: Record<string, unknown>, deps: Partial<ConfigFormDeps> = {}) {
  const run = fakeRun();
  const saveSettings = jest.fn(async (_j: Record<string, unknown>) => undefined);
  const all: ConfigFormDeps = {
    saveSettings,
    runCheck: run.runCheck,
    listDatasources: () => DATASOURCES,
    createTransport: () => ({ request: jest.fn() }),
    ...deps,
  };
  render(<ConfigForm jsonData={jsonData} deps={all} />);
  return { run, saveSettings: (deps.saveSettings as jest.Mock | undefined) ?? saveSettings };
}

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByRole('textbox', { name: label }), { target: { value } });
/** The message is rendered next to exactly this input (its Field), not only in the summary. */
function expectFieldError(label: string, message: string) {
  let el: HTMLElement | null = screen.getByRole('textbox', { name: label });
  while (el && !(el.textContent ?? '').includes(message)) {
    el = el.parentElement;
  }
  expect(el).not.toBeNull();
  expect(el!.querySelectorAll('input')).toHaveLength(1);
}
const save = async () => {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testIds.appConfig.save));
  });
};

describe('ConfigForm', () => {
  it('loads the saved values into the fields', () => {
    setup({
      services: ['scanium-backend', { name: 'checkout', signals: ['metrics'] }],
      lookback: '12h',
      freshness: { logs: '15m' },
    });
    expect(screen.getByRole('textbox', { name: 'Service 1 name' })).toHaveValue('scanium-backend');
    expect(screen.getByRole('textbox', { name: 'Service 2 name' })).toHaveValue('checkout');
    expect(screen.getByRole('checkbox', { name: 'Service 2 sends logs' })).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Lookback' })).toHaveValue('12h');
    expect(screen.getByRole('textbox', { name: 'logs freshness' })).toHaveValue('15m');
  });

  it('shows the engine schema errors on the fields and does not save', async () => {
    const { saveSettings } = setup({ services: ['a'] });
    type('Lookback', 'forever');
    type('Concurrency', 'lots');
    type('Service 1 name', '');
    await save();
    expect(saveSettings).not.toHaveBeenCalled();
    expectFieldError('Lookback', 'expected a positive duration');
    expectFieldError('Concurrency', 'concurrency must be a number');
    expectFieldError('Service 1 name', 'service name must not be empty');
  });

  it('catches freshness longer than the lookback (a cross-field rule of the engine)', async () => {
    const { saveSettings } = setup({});
    type('Lookback', '5m');
    await save();
    expect(saveSettings).not.toHaveBeenCalled();
    expect(screen.getAllByText(/must not exceed the lookback/).length).toBeGreaterThan(0);
  });

  it('saves the edited configuration in the engine shape, keeping unrelated jsonData keys', async () => {
    const { saveSettings } = setup({ services: ['scanium-backend'], unrelated: 'kept' });
    fireEvent.click(screen.getByRole('button', { name: 'Add service' }));
    type('Service 2 name', 'checkout');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Service 2 sends traces' }));
    type('logs freshness', '15m');
    type('Timeout', '5s');
    await save();
    expect(saveSettings).toHaveBeenCalledWith({
      unrelated: 'kept',
      services: ['scanium-backend', { name: 'checkout', signals: ['metrics', 'logs'] }],
      freshness: { logs: '15m' },
      timeout: '5s',
    });
    expect(screen.getByText(/Saved\./)).toBeInTheDocument();
  });

  it('keeps the form when the save fails and says why', async () => {
    const saveSettings = jest.fn(async () => {
      throw new Error('You may not change the app settings (Access denied). Ask an Org Admin.');
    });
    setup({ services: ['a'] }, { saveSettings });
    type('Service 1 name', 'edited-name');
    await save();
    expect(screen.getByTestId(testIds.appConfig.saveError)).toHaveTextContent('Access denied');
    expect(screen.getByRole('textbox', { name: 'Service 1 name' })).toHaveValue('edited-name');
  });

  it('"Test now" runs the check with the unsaved values and shows the result', async () => {
    const { run, saveSettings } = setup({ services: ['checkout'] });
    fireEvent.click(screen.getByRole('button', { name: 'Add service' }));
    type('Service 2 name', 'scanium-backend');
    fireEvent.click(screen.getByTestId(testIds.appConfig.testNow));
    expect(run.last().config.services.map((s) => s.name)).toEqual(['checkout', 'scanium-backend']);
    expect(saveSettings).not.toHaveBeenCalled();
    await act(async () => run.finish(incidentReport()));
    expect(screen.getByTestId(testIds.matrix.cell('scanium-backend', 'logs'))).toHaveTextContent('missing');
  });
});
