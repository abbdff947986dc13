// A list the renderer asked main for, shown the same way everywhere: loading, error, empty, or a
// table whose last column holds the row's actions. The rows themselves stay with their feature.
import type { ReactNode } from 'react';
import { EmptyState, ErrorNotice, Loading } from './states.js';

interface ListQuery<T> {
  readonly isPending: boolean;
  readonly error: unknown;
  readonly data: readonly T[] | undefined;
}

export function QueryTable<T>(props: {
  readonly query: ListQuery<T>;
  readonly loadingLabel: string;
  readonly empty: ReactNode;
  /** Read by screen readers only: what the table lists. */
  readonly caption: string;
  /** Column headings before the (unlabelled) actions column. */
  readonly columns: readonly string[];
  readonly row: (item: T) => ReactNode;
}) {
  const { query, columns } = props;
  return (
    <>
      {query.isPending && <Loading label={props.loadingLabel} />}
      {query.error ? <ErrorNotice error={query.error} /> : null}
      {query.data?.length === 0 && <EmptyState>{props.empty}</EmptyState>}
      {query.data && query.data.length > 0 && (
        <table className="agents-table">
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>{query.data.map(props.row)}</tbody>
        </table>
      )}
    </>
  );
}
