"""The team's workflows: from a request to a plan, and running a plan."""
