/**
 * The design tokens of `app/globals.css`, as CSS variable references for inline styles.
 *
 * The values live in the stylesheet only; these names keep TypeScript code from misspelling them.
 */
export const tokens = {
  color: {
    background: "var(--color-background)",
    surface: "var(--color-surface)",
    text: "var(--color-text)",
    textMuted: "var(--color-text-muted)",
    border: "var(--color-border)",
    primary: "var(--color-primary)",
    primaryContrast: "var(--color-primary-contrast)",
    danger: "var(--color-danger)",
    success: "var(--color-success)",
  },
  space: {
    1: "var(--space-1)",
    2: "var(--space-2)",
    3: "var(--space-3)",
    4: "var(--space-4)",
    6: "var(--space-6)",
    8: "var(--space-8)",
  },
  radius: { sm: "var(--radius-sm)", md: "var(--radius-md)", lg: "var(--radius-lg)" },
  fontSize: {
    sm: "var(--font-size-sm)",
    md: "var(--font-size-md)",
    lg: "var(--font-size-lg)",
    xl: "var(--font-size-xl)",
  },
} as const;
