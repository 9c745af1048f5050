import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // the container image (frontend/Dockerfile) builds with NEXT_OUTPUT=standalone: a
  // self-contained server; `next start` serves every other build
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
};

export default nextConfig;
