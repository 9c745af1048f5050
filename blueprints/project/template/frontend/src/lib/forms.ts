/**
 * From form controls to the values the API's zod schemas check, and back.
 *
 * A form schema wraps each field of the API schema with `formField`: the control's raw
 * value (text, or a checkbox's boolean) is read into what the API takes, then checked by
 * the API's own schema. An empty control means "no value": a required field then fails
 * with "Required", an optional one is sent as `null` (so an edit can clear it).
 */
import { z } from "zod";

import { parseDateTime } from "@/lib/format";

type Reader = (raw: unknown) => unknown;

function text(raw: unknown): string | undefined {
  if (typeof raw !== "string") {
    return undefined;
  }
  const value = raw.trim();
  return value === "" ? undefined : value;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

export const formValue = {
  /** Text as typed (trimmed). */
  text,
  /** A number input; NaN for anything else, so the schema reports it. */
  number(raw: unknown): number | undefined {
    const value = text(raw);
    return value === undefined ? undefined : Number(value);
  },
  /** A checkbox: checked or not (never empty). */
  checkbox(raw: unknown): boolean {
    return raw === true;
  },
  /**
   * A `datetime-local` input ("2026-01-15T10:30") is a time in the user's zone: it is sent
   * as the instant it names, in UTC ("2026-01-15T09:30:00Z" in Paris in winter).
   */
  datetime(raw: unknown): string | undefined {
    const value = text(raw);
    if (value === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) {
      return value;
    }
    return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
  },
  /** JSON typed in a textarea; kept as text when it does not parse, so the schema reports it. */
  json(raw: unknown): unknown {
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

/** A field of a form schema: `read` the control's raw value, then check it with `schema`. */
export function formField<Schema extends z.ZodType>(
  read: Reader,
  schema: Schema,
  { optional = false }: { optional?: boolean } = {},
) {
  return z.preprocess((raw) => {
    const value = read(raw);
    return value === undefined && optional ? null : value;
  }, schema);
}

/** The control's value for an API value: what an edit form starts with. */
export const inputValue = {
  text(value: unknown): string {
    return value === null || value === undefined ? "" : String(value);
  },
  number(value: unknown): string {
    return value === null || value === undefined ? "" : String(value);
  },
  checkbox(value: unknown): boolean {
    return value === true;
  },
  /** An API datetime as a `datetime-local` value, in the user's zone. */
  datetime(value: unknown): string {
    if (typeof value !== "string" || value === "") {
      return "";
    }
    const date = parseDateTime(value);
    return (
      `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
    );
  },
  json(value: unknown): string {
    return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
  },
};

/** Parse-time messages: "Required" for a missing value, zod's own message otherwise. */
export const formErrorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "Required" : undefined;
