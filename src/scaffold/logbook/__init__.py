"""The team's written trail: log entries, STATUS.md, reference documents."""
