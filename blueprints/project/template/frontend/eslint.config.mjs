// ESLint flat config: Next.js's rules (core web vitals, TypeScript), then Prettier's
// switch-off of every formatting rule (formatting is Prettier's job: `npm run format`).
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  prettier,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "out/**",
      "coverage/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "src/lib/api/generated/**",
    ],
  },
];

export default config;
