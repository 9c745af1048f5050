/**
 * A list's page and sort order, read from and written to the URL's search params
 * (`?page=2&sort=-created_at`), so that a list can be linked to, reloaded and paged
 * with the browser's back button.
 */

export const PAGE_SIZE = 20;

export interface ListQuery {
  page: number;
  pageSize: number;
  /** A column the rows are sorted by, or null for the API's order. */
  sort: string | null;
  descending: boolean;
}

export type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Read `page` and `sort` (`name` or `-name`), keeping only the columns in `sortable`. */
export function parseListQuery(params: SearchParams, sortable: readonly string[]): ListQuery {
  const page = Number.parseInt(first(params.page) ?? "1", 10);
  const rawSort = first(params.sort) ?? "";
  const descending = rawSort.startsWith("-");
  const sort = descending ? rawSort.slice(1) : rawSort;
  return {
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZE,
    sort: sortable.includes(sort) ? sort : null,
    descending: sortable.includes(sort) && descending,
  };
}

/** The `sort` parameter of a query (`-name`), or undefined. */
export function sortParam(query: ListQuery): string | undefined {
  return query.sort === null ? undefined : `${query.descending ? "-" : ""}${query.sort}`;
}

function href(path: string, page: number, sort: string | undefined): string {
  const search = new URLSearchParams();
  if (page > 1) {
    search.set("page", String(page));
  }
  if (sort) {
    search.set("sort", sort);
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function pageHref(path: string, query: ListQuery, page: number): string {
  return href(path, page, sortParam(query));
}

/** Sort by `column`; the column already sorted ascending flips to descending. Back to page 1. */
export function sortHref(path: string, query: ListQuery, column: string): string {
  const descending = query.sort === column && !query.descending;
  return href(path, 1, `${descending ? "-" : ""}${column}`);
}

/**
 * Sort rows the way the query asks. The list endpoint takes `sort` too; until it honours it,
 * this keeps at least the rows of one page in the order asked.
 */
export function sortRows<Row extends Record<string, unknown>>(
  rows: Row[],
  query: ListQuery,
): Row[] {
  const { sort, descending } = query;
  if (sort === null) {
    return rows;
  }
  const collator = new Intl.Collator(undefined, { numeric: true });
  return [...rows].sort((a, b) => {
    const left = a[sort];
    const right = b[sort];
    let order: number;
    if (left === right) {
      order = 0;
    } else if (left === null || left === undefined) {
      order = 1;
    } else if (right === null || right === undefined) {
      order = -1;
    } else if (typeof left === "number" && typeof right === "number") {
      order = left - right;
    } else {
      order = collator.compare(String(left), String(right));
    }
    return descending ? -order : order;
  });
}
