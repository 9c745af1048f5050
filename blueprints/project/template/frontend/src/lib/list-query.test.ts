import { describe, expect, it } from "vitest";

import { pageHref, parseListQuery, sortHref, sortRows } from "./list-query";

describe("list query", () => {
  it("reads the page and a known sort column from the URL", () => {
    expect(parseListQuery({ page: "3", sort: "-name" }, ["name"])).toEqual({
      page: 3,
      pageSize: 20,
      sort: "name",
      descending: true,
    });
  });

  it("ignores a bad page and an unknown column", () => {
    expect(parseListQuery({ page: "-2", sort: "secret" }, ["name"])).toMatchObject({
      page: 1,
      sort: null,
      descending: false,
    });
  });

  it("links to pages and flips the order of the sorted column", () => {
    const query = parseListQuery({ page: "2", sort: "name" }, ["name", "id"]);

    expect(pageHref("/things", query, 3)).toBe("/things?page=3&sort=name");
    expect(pageHref("/things", query, 1)).toBe("/things?sort=name");
    expect(sortHref("/things", query, "name")).toBe("/things?sort=-name");
    expect(sortHref("/things", query, "id")).toBe("/things?sort=id");
  });

  it("sorts rows, empty values last", () => {
    const rows = [{ name: "b" }, { name: null }, { name: "a10" }, { name: "a9" }];
    const query = parseListQuery({ sort: "name" }, ["name"]);

    expect(sortRows(rows, query).map((row) => row.name)).toEqual(["a9", "a10", "b", null]);
  });
});
