"""HTTP API: the router every route module is mounted on."""
