"""Edits of Python files the project owns, made with libcst so that every other byte stays."""
