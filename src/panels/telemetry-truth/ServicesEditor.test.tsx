import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { StandardEditorProps } from '@grafana/data';
import { ServicesEditor, type ServicesEditorSettings } from './ServicesEditor';

function renderEditor(loadNames: () => Promise<string[]>, value: string[] = []) {
  const onChange = jest.fn();
  const props = {
    value,
    onChange,
    id: 'services',
    item: { id: 'services', name: 'Chosen services', settings: { loadNames } },
    context: { data: [] },
  } as unknown as StandardEditorProps<string[], ServicesEditorSettings>;
  render(<ServicesEditor {...props} />);
  return onChange;
}

async function openMenu() {
  await act(async () => {
    fireEvent.keyDown(screen.getByLabelText('Chosen services'), { key: 'ArrowDown' });
  });
}

describe('ServicesEditor', () => {
  it('offers the services the app expects and returns the picked names', async () => {
    const onChange = renderEditor(() => Promise.resolve(['api', 'worker']));
    await openMenu();
    expect(await screen.findByText('worker')).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(screen.getByText('worker'));
    });
    expect(onChange).toHaveBeenLastCalledWith(['worker']);
  });

  it('keeps a chosen name the app does not expect instead of dropping it', async () => {
    const onChange = renderEditor(() => Promise.resolve(['api']), ['legacy']);
    await openMenu();
    expect(screen.getByText('legacy')).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(await screen.findByText('api'));
    });
    expect(onChange).toHaveBeenLastCalledWith(['legacy', 'api']);
  });

  it('says why the list is unavailable and still lets the user type names', async () => {
    renderEditor(() => Promise.reject(new Error('you may not read the app settings')));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Expected services unavailable: you may not read the app settings'
    );
    expect(screen.getByText('Type a service name')).toBeInTheDocument();
  });
});
