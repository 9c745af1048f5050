"""The project's own checks and test scopes, as commands to run and reports to judge."""
