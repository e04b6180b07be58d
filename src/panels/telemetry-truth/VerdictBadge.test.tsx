import React from 'react';
import { render, screen } from '@testing-library/react';
import { toIconName } from '@grafana/data';
import { VERDICTS } from '../../engine/model';
import { VERDICT_INFO } from '../../engine/verdicts';
import { cell } from '../../test/fixtures';
import { VerdictBadge } from './VerdictBadge';

const href = '/a/scanium-telemetrytruth-app/truth?service=api&signal=logs';

describe('VerdictBadge', () => {
  it.each(VERDICTS)('%s: shows the word and an icon that exists in Grafana 10.3, never colour alone', (status) => {
    expect(toIconName(VERDICT_INFO[status].icon)).toBeDefined();
    render(
      <VerdictBadge
        service="api"
        signal="logs"
        state={{ kind: 'cell', cell: cell(status, 'logs') }}
        showContext
        showAge={false}
        showCode={false}
        detailHref={href}
      />
    );
    const link = screen.getByRole('link', { name: new RegExp(`^api logs: ${status}`) });
    expect(link).toHaveTextContent(status);
    expect(link).toHaveTextContent('api logs');
    expect(link).toHaveAttribute('title', `logs ${status} for this service.`);
    // A failing verdict always names its code for screen readers, even when codes are hidden.
    if (status !== 'ok') {
      expect(link).toHaveAccessibleName(expect.stringContaining(cell(status, 'logs').code));
    }
  });

  it('shows a spinner and "checking" while its probe is pending, and says when a signal is not expected', () => {
    const { rerender } = render(
      <VerdictBadge
        service="api"
        signal="traces"
        state={{ kind: 'pending' }}
        showContext
        showAge
        showCode
        detailHref={href}
      />
    );
    expect(screen.getByTestId('tt-badge')).toHaveTextContent('checking');
    expect(screen.queryByRole('link')).toBeNull();
    rerender(
      <VerdictBadge
        service="api"
        signal="traces"
        state={{ kind: 'not-expected-signal' }}
        showContext={false}
        showAge
        showCode
        detailHref={href}
      />
    );
    expect(screen.getByTestId('tt-badge')).toHaveTextContent('not expected');
    expect(screen.getByTestId('tt-badge')).toHaveAttribute('title', 'api is not expected to send traces.');
  });

  it('marks a datum from the future as clock skew rather than a negative age', () => {
    const skewed = cell('ok', 'metrics', { ageSeconds: -12, clockSkew: true });
    render(
      <VerdictBadge
        service="api"
        signal="metrics"
        state={{ kind: 'cell', cell: skewed }}
        showContext={false}
        showAge
        showCode={false}
        detailHref={href}
      />
    );
    expect(screen.getByRole('link')).toHaveTextContent('ahead (clock skew)');
  });
});
