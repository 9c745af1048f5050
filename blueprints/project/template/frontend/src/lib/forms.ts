/**
 * From form inputs to the values the zod schemas check.
 *
 * An empty input means "no value" (`undefined`): a required field then fails with "Required",
 * and an optional one is left out of the request.
 */
import type { z } from "zod";

type Raw = FormDataEntryValue | null;

function text(raw: Raw): string | undefined {
  if (typeof raw !== "string") {
    return undefined;
  }
  const value = raw.trim();
  return value === "" ? undefined : value;
}

export const formValue = {
  /** Text as typed (trimmed). */
  text,
  /** A number input; NaN for anything else, so the schema reports it. */
  number(raw: Raw): number | undefined {
    const value = text(raw);
    return value === undefined ? undefined : Number(value);
  },
  /** A checkbox: checked or not (never empty). */
  checkbox(raw: Raw): boolean {
    return raw !== null;
  },
  /** A `datetime-local` input ("2026-01-15T10:30") as an ISO datetime with seconds. */
  datetime(raw: Raw): string | undefined {
    const value = text(raw);
    return value !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)
      ? `${value}:00`
      : value;
  },
  /** JSON typed in a textarea; kept as text when it does not parse, so the schema reports it. */
  json(raw: Raw): unknown {
    const value = text(raw);
    if (value === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  },
};

/** Parse-time messages: "Required" for a missing value, zod's own message otherwise. */
export const formErrorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "Required" : undefined;

/** The first message of each top-level field of a failed parse. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const [field] = issue.path;
    if (typeof field === "string" && !(field in errors)) {
      errors[field] = issue.message;
    }
  }
  return errors;
}
