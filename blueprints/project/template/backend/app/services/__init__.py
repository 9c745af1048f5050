"""Business operations, one service per resource."""
