import Link from "next/link";

export default function NotFound() {
  return (
    <main className="container stack">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link href="/">Back home</Link>
    </main>
  );
}
