import { describe, expect, it } from "vitest";
import { z } from "zod";

import { formErrorMap, formField, formValue, inputValue } from "./forms";

describe("form values", () => {
  it("sends a datetime-local value as the UTC instant it names in the user's zone", () => {
    // the tests run in Europe/Paris (vitest.config.mts): UTC+1 in January
    expect(formValue.datetime("2026-01-15T10:30")).toBe("2026-01-15T09:30:00Z");
    expect(formValue.datetime("2026-07-15T10:30:15")).toBe("2026-07-15T08:30:15Z");
  });

  it("shows an API datetime in the user's zone in an edit form", () => {
    expect(inputValue.datetime("2026-01-15T09:30:00Z")).toBe("2026-01-15T10:30:00");
    expect(inputValue.datetime("2026-01-15T09:30:00")).toBe("2026-01-15T10:30:00");
    expect(inputValue.datetime(null)).toBe("");
  });

  it("reads an empty optional control as null and an empty required one as missing", () => {
    const schema = z.object({
      name: formField(formValue.text, z.string()),
      note: formField(formValue.text, z.string().nullable().optional(), { optional: true }),
    });

    expect(schema.parse({ name: " Acme ", note: "" })).toEqual({ name: "Acme", note: null });
    const failed = schema.safeParse({ name: "", note: "" }, { error: formErrorMap });
    expect(failed.error?.issues[0]?.message).toBe("Required");
  });
});
