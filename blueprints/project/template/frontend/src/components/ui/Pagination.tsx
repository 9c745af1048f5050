import Link from "next/link";

import { pageHref, type ListQuery } from "@/lib/list-query";

export interface PaginationProps {
  /** The list's path, e.g. `/campaigns`. */
  path: string;
  query: ListQuery;
  total: number;
  /** How many rows this page shows. */
  shown: number;
}

/** "21–40 of 45" and links to the previous and next pages, kept in the URL. */
export function Pagination({ path, query, total, shown }: PaginationProps) {
  const first = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const last = (query.page - 1) * query.pageSize + shown;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  return (
    <nav className="row pagination" aria-label="Pagination">
      <p className="muted">
        {first}–{last} of {total}
      </p>
      {query.page > 1 ? (
        <Link className="button button-secondary" href={pageHref(path, query, query.page - 1)}>
          Previous
        </Link>
      ) : (
        <span className="button button-secondary" aria-disabled="true">
          Previous
        </span>
      )}
      <span className="muted">
        Page {query.page} of {pages}
      </span>
      {query.page < pages ? (
        <Link className="button button-secondary" href={pageHref(path, query, query.page + 1)}>
          Next
        </Link>
      ) : (
        <span className="button button-secondary" aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
