"use client";

import { useState } from "react";

import { errorMessage } from "@/lib/api/client";

export interface ConfirmActionProps {
  /** The button that asks, e.g. "Delete". */
  label: string;
  /** The question, e.g. "Delete this campaign? This cannot be undone." */
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
}

/** A destructive action that asks before it runs, and shows why it failed. */
export function ConfirmAction({ label, question, confirmLabel, onConfirm }: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught: unknown) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  if (!asking) {
    return (
      <button type="button" className="button button-danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label={question} className="card stack confirm">
      <p>{question}</p>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-danger" onClick={confirm} disabled={busy}>
          {busy ? "Working…" : confirmLabel}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setAsking(false)}
          disabled={busy}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
