"use client";

/** What any page shows when it fails to load: the reason, and a way to try again. */
export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="container stack">
      <h1>Something went wrong</h1>
      <p role="alert" className="alert">
        {error.message || "The page could not be loaded."}
      </p>
      <div className="row">
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
