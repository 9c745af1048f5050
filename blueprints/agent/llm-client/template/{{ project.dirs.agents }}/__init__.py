"""AI agents: one package per agent, each with its prompt, models, agent and service."""
