import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Card, useStyles2 } from '@grafana/ui';

import { parseRunbook, RUNBOOK_GROUPS, runbookGroup, type Runbook } from '../../runbooks';
import { runbookTestIds } from './testIds';

export interface RunbookListProps {
  runbooks: readonly Runbook[];
  /** Link target of each runbook (the built-in route, or the organisation's override). */
  hrefFor: (code: string) => string;
  /** Codes the organisation has its own runbook for. */
  overridden?: ReadonlySet<string>;
}

/** First sentence of "What this means", as a one-line description. */
export function summaryOf(markdown: string): string {
  const meaning = parseRunbook(markdown).sections.find((s) => s.title === 'What this means');
  if (!meaning) {
    return '';
  }
  const text = meaning.markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = text.search(/\.(\s|$)/);
  return end >= 0 ? text.slice(0, end + 1) : text;
}

export function RunbookList({ runbooks, hrefFor, overridden }: RunbookListProps) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.container} data-testid={runbookTestIds.list}>
      <p className={styles.intro}>
        Every failing verdict links to one of these runbooks. Each says what the verdict means, the likely causes (most
        likely first), how to confirm each cause with queries and commands, how to fix it and how to verify the fix.
      </p>
      {RUNBOOK_GROUPS.map((group) => {
        const members = runbooks.filter((r) => runbookGroup(r.code) === group.id);
        if (members.length === 0) {
          return null;
        }
        const headingId = `tt-runbooks-${group.id}`;
        return (
          <section
            key={group.id}
            aria-labelledby={headingId}
            className={styles.group}
            data-testid={runbookTestIds.group(group.id)}
          >
            <h2 id={headingId} className={styles.groupTitle}>
              {group.title}
            </h2>
            <p className={styles.groupDescription}>{group.description}</p>
            <ul className={styles.list}>
              {members.map((r) => (
                <li key={r.code} data-testid={runbookTestIds.item(r.code)}>
                  <Card href={hrefFor(r.code)}>
                    <Card.Heading>
                      <span className={styles.code}>{r.code}</span> {r.title}
                    </Card.Heading>
                    <Card.Description>{summaryOf(r.markdown)}</Card.Description>
                    {overridden?.has(r.code) && (
                      <Card.Meta>Your organisation also has its own runbook for this code</Card.Meta>
                    )}
                  </Card>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    maxWidth: '980px',
  }),
  intro: css({
    color: theme.colors.text.secondary,
    maxWidth: '860px',
    marginBottom: theme.spacing(3),
  }),
  group: css({
    marginBottom: theme.spacing(3),
  }),
  groupTitle: css({
    fontSize: theme.typography.h4.fontSize,
    marginBottom: theme.spacing(0.5),
  }),
  groupDescription: css({
    color: theme.colors.text.secondary,
    marginBottom: theme.spacing(1),
  }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
  }),
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    marginRight: theme.spacing(1),
  }),
});
