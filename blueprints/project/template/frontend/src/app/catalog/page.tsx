import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { catalogEntries } from "@/lib/catalog";

export const metadata: Metadata = { title: "Component catalog" };

/**
 * Every generated component, rendered with sample props (development only: the living
 * form of docs/ui/DOC-UI-002_COMPONENTS_CATALOG.md). Each component's sample is its own
 * page, /catalog/<name>, written by the generation that made the component.
 */
export default function CatalogPage() {
  if (process.env.NODE_ENV === "production") {
    notFound();
  }
  const entries = catalogEntries();
  return (
    <main className="container stack">
      <h1>Component catalog</h1>
      {entries.length === 0 && (
        <p className="muted">
          No component yet: <code>scaffold component</code> and <code>scaffold feature</code> add
          theirs here.
        </p>
      )}
      {entries.map((entry) => (
        <section key={entry.href} className="card stack" aria-label={entry.name}>
          <h2>
            <Link href={entry.href}>{entry.name}</Link>
          </h2>
          <p className="muted">{entry.description}</p>
          <iframe className="catalog-frame" src={entry.href} title={`${entry.name} sample`} />
        </section>
      ))}
    </main>
  );
}
