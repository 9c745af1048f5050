"""Generators: from a validated request to a plan staged on the tree."""
