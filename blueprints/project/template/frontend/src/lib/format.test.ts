import { describe, expect, it } from "vitest";

import { formatValue, parseDateTime } from "./format";

const paris = { locale: "fr-FR", timeZone: "Europe/Paris" };
const newYork = { locale: "en-US", timeZone: "America/New_York" };

describe("formatValue", () => {
  it("shows a datetime in the user's zone, naming the zone", () => {
    expect(formatValue("2026-01-15T09:30:00Z", "datetime", paris)).toMatch(/10:30.*UTC\+1/);
    expect(formatValue("2026-01-15T09:30:00Z", "datetime", newYork)).toMatch(/04:30 AM EST/);
  });

  it("reads a datetime without offset as UTC", () => {
    expect(parseDateTime("2026-01-15T09:30:00").toISOString()).toBe("2026-01-15T09:30:00.000Z");
    expect(parseDateTime("2026-01-15T10:30:00+01:00").toISOString()).toBe(
      "2026-01-15T09:30:00.000Z",
    );
  });

  it("shows a calendar date as the same day in every zone", () => {
    expect(formatValue("2026-01-15", "date", newYork)).toBe("Jan 15, 2026");
    expect(formatValue("2026-01-15", "date", paris)).toBe("15 janv. 2026");
  });

  it("groups digits the way the locale does and keeps a decimal's digits", () => {
    expect(formatValue(1234567, "number", newYork)).toBe("1,234,567");
    expect(formatValue("1234.50", "decimal", paris)).toBe("1\u202f234,50");
  });

  it("shows a dash for no value, Yes/No for booleans, JSON for objects", () => {
    expect(formatValue(null)).toBe("—");
    expect(formatValue(true)).toBe("Yes");
    expect(formatValue({ key: "value" }, "json")).toBe('{"key":"value"}');
  });
});
