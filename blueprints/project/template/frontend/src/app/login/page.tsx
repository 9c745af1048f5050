import type { Metadata } from "next";

import { LoginForm } from "@/components/auth/LoginForm";

export const metadata: Metadata = { title: "Log in" };

interface LoginPageProps {
  searchParams: Promise<{ next?: string | string[] }>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { next } = await searchParams;
  return (
    <main className="container narrow stack">
      <h1>Log in</h1>
      <div className="card">
        <LoginForm next={Array.isArray(next) ? next[0] : next} />
      </div>
    </main>
  );
}
