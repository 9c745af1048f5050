import Link from "next/link";

import { sortHref, type ListQuery } from "@/lib/list-query";

export interface SortHeaderProps {
  path: string;
  query: ListQuery;
  column: string;
  label: string;
}

/** A column header that sorts the list by its column (again: the other way). */
export function SortHeader({ path, query, column, label }: SortHeaderProps) {
  const sorted = query.sort === column;
  const direction = sorted ? (query.descending ? "descending" : "ascending") : "none";
  return (
    <th scope="col" aria-sort={direction}>
      <Link href={sortHref(path, query, column)}>
        {label}
        {sorted && <span aria-hidden="true">{query.descending ? " ▼" : " ▲"}</span>}
      </Link>
    </th>
  );
}
