import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { catalogEntries } from "@/lib/catalog";

import CatalogPage from "./page";

describe("CatalogPage", () => {
  it("shows a sample of every generated component", () => {
    render(<CatalogPage />);

    expect(
      screen.getByRole("heading", { level: 1, name: "Component catalog" }),
    ).toBeInTheDocument();
    for (const entry of catalogEntries()) {
      expect(screen.getByTitle(`${entry.name} sample`)).toHaveAttribute("src", entry.href);
    }
  });
});
