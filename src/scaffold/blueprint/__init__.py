"""Blueprints (copier templates): where each is found, how it renders, their versions."""
