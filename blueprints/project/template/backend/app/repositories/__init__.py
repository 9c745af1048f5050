"""Data access, one repository per resource; every query is scoped to a tenant."""
