import { notFound } from "next/navigation";
import type { ReactNode } from "react";

/** The catalog and its sample pages exist in development only. */
export default function CatalogLayout({ children }: Readonly<{ children: ReactNode }>) {
  if (process.env.NODE_ENV === "production") {
    notFound();
  }
  return children;
}
