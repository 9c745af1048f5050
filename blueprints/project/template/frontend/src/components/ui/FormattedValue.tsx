"use client";

import { useSyncExternalStore } from "react";

import { SERVER_FORMAT, formatValue, type FormatContext, type ValueKind } from "@/lib/format";

function subscribe(): () => void {
  return () => {};
}

function browserFormat(): string {
  return JSON.stringify({
    locale: navigator.language,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
}

/** The browser's locale and time zone (English and UTC while rendering on the server). */
export function useFormatContext(): FormatContext {
  const snapshot = useSyncExternalStore(subscribe, browserFormat, () => null);
  return snapshot === null ? SERVER_FORMAT : (JSON.parse(snapshot) as FormatContext);
}

export interface FormattedValueProps {
  value: unknown;
  kind?: ValueKind;
}

/** A field's value as the user reads it: their locale, their time zone. */
export function FormattedValue({ value, kind = "text" }: FormattedValueProps) {
  const context = useFormatContext();
  const text = formatValue(value, kind, context);
  if ((kind === "date" || kind === "datetime") && typeof value === "string") {
    return <time dateTime={value}>{text}</time>;
  }
  return <>{text}</>;
}
