/**
 * How values read for a user: numbers, dates and datetimes in the user's locale, datetimes
 * in the user's time zone with that zone named. `locale` and `timeZone` are the browser's
 * (see `FormattedValue`); the server, which knows neither, renders in English and UTC.
 */

/** How a field's value is displayed (from its API type). */
export type ValueKind = "text" | "number" | "decimal" | "boolean" | "date" | "datetime" | "json";

export interface FormatContext {
  locale: string;
  timeZone: string;
}

export const SERVER_FORMAT: FormatContext = { locale: "en-US", timeZone: "UTC" };

const EMPTY = "—";

/** An API datetime as an instant: one without an offset is UTC, as the backend stores it. */
export function parseDateTime(value: string): Date {
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
}

export function formatDateTime(value: string, { locale, timeZone }: FormatContext): string {
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(parseDateTime(value));
}

/** A calendar date ("2026-01-15") is the same day everywhere: no time zone applies. */
export function formatDate(value: string, { locale }: FormatContext): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${value}T00:00:00Z`),
  );
}

export function formatNumber(value: number | string, { locale }: FormatContext): string {
  const number = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(number)) {
    return String(value);
  }
  // a decimal string keeps the digits it was sent with ("12.50")
  const decimals = typeof value === "string" ? (value.split(".")[1]?.length ?? 0) : undefined;
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals ?? 20,
  }).format(number);
}

/** How a value of any field type reads in a table cell or a detail view. */
export function formatValue(
  value: unknown,
  kind: ValueKind = "text",
  context: FormatContext = SERVER_FORMAT,
): string {
  if (value === null || value === undefined || value === "") {
    return EMPTY;
  }
  if (typeof value === "boolean") {
    return value ? "Yes" : "No";
  }
  if (typeof value === "object") {
    return JSON.stringify(value);
  }
  if (kind === "datetime" && typeof value === "string") {
    return formatDateTime(value, context);
  }
  if (kind === "date" && typeof value === "string") {
    return formatDate(value, context);
  }
  if ((kind === "number" || kind === "decimal") && typeof value !== "symbol") {
    return formatNumber(value as number | string, context);
  }
  return String(value);
}
