"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";

import { parseDetail } from "@/lib/api/client";

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Required").email("Enter an email address"),
  password: z.string().min(1, "Required"),
});
export type LoginValues = z.infer<typeof loginSchema>;

export interface LoginFormProps {
  /** Where to go once logged in (a path of this app). */
  next?: string;
}

function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Email and password; the session cookie is set by the `/auth/session` route handler. */
export function LoginForm({ next }: LoginFormProps) {
  const id = useId();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<LoginValues>({ resolver: zodResolver(loginSchema) });

  async function login(values: LoginValues) {
    setError(null);
    const response = await fetch("/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(values),
    });
    if (!response.ok) {
      const detail = parseDetail(await response.json().catch(() => null));
      setError(typeof detail === "string" ? detail : "Login failed.");
      return;
    }
    router.push(safeNext(next));
    router.refresh();
  }

  return (
    <form className="stack" onSubmit={handleSubmit(login)} noValidate aria-label="Log in">
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? `${id}-email-error` : undefined}
          {...register("email")}
        />
        {errors.email && (
          <p id={`${id}-email-error`} className="field-error">
            {errors.email.message}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? `${id}-password-error` : undefined}
          {...register("password")}
        />
        {errors.password && (
          <p id={`${id}-password-error`} className="field-error">
            {errors.password.message}
          </p>
        )}
      </div>
      <div className="row">
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? "Logging in…" : "Log in"}
        </button>
      </div>
    </form>
  );
}
