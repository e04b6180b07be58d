import { plugin } from './module';
import { PanelOptionsEditorBuilder, standardEditorsRegistry } from '@grafana/data';
import { DEFAULT_OPTIONS, normalizeOptions, type PanelOptions } from './options';
import { formatAge } from './panelModel';

jest.mock('./store', () => ({ getDefaultStore: jest.fn(), loadExpectedServiceNames: jest.fn() }));

describe('panel options', () => {
  it('fills a panel saved without options with the defaults', () => {
    expect(normalizeOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(normalizeOptions({})).toEqual(DEFAULT_OPTIONS);
  });

  it('migrates hand-edited and legacy options to the current shape', () => {
    expect(
      normalizeOptions({
        services: 'api, worker ,',
        signals: ['traces', 'bogus', 'logs'],
        mode: 'table',
        showAge: false,
        showCode: true,
      })
    ).toEqual({
      serviceMode: 'chosen',
      services: ['api', 'worker'],
      signals: ['logs', 'traces'],
      layout: 'grid',
      showAges: false,
      showCodes: true,
    });
  });

  it('keeps valid options and rejects invalid values', () => {
    const stored = {
      serviceMode: 'all',
      services: ['x'],
      signals: ['metrics'],
      layout: 'compact',
      showAges: false,
      showCodes: true,
    };
    expect(normalizeOptions(stored)).toEqual(stored);
    expect(normalizeOptions({ layout: 'pie', signals: [], showAges: 'yes' })).toMatchObject({
      layout: 'compact',
      signals: ['metrics', 'logs', 'traces'],
      showAges: true,
    });
  });

  it('registers the migration handler and every option with its default', async () => {
    // Grafana core fills this registry at boot; the builder only needs the editor ids to exist.
    standardEditorsRegistry.setInit(() =>
      ['radio', 'strings', 'multi-select', 'boolean'].map((id) => ({ id, name: id, editor: () => null }))
    );
    const migrated = await plugin.onPanelMigration?.({ options: { mode: 'table' } } as never);
    expect(migrated).toMatchObject({ layout: 'grid' });
    const builder = new PanelOptionsEditorBuilder<PanelOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const items = builder.getItems();
    expect(Object.fromEntries(items.map((i) => [i.path, i.defaultValue]))).toEqual(DEFAULT_OPTIONS);
    expect(items.find((i) => i.path === 'services')?.showIf?.({ ...DEFAULT_OPTIONS, serviceMode: 'all' })).toBe(false);
  });
});

describe('formatAge', () => {
  it.each([
    [null, null],
    [42.4, '42 s ago'],
    [5 * 60 + 10, '5 m ago'],
    [3 * 3600 + 120, '3 h ago'],
    [2 * 86400 + 5, '2 d ago'],
    [-30, 'ahead (clock skew)'],
  ])('%p → %p', (age, text) => {
    expect(formatAge(age)).toBe(text);
  });
});
