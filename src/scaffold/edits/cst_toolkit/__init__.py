"""The toolkit every edit of the project's Python files is made with.

* ``source``: parsing, with a syntax error reported as ``file:line`` (``ast`` for the
  message, libcst only to edit), and dotted names. It imports no libcst, so that a
  command that only reads (``doctor``, an "already registered" check) never pays for it.
* ``imports``: adding a name to a from-import and removing one, in ruff's isort order,
  wrapped as ruff format would when the line grows too long.
* ``splice``: libcst edits of a few top-level statements, spliced back between the
  untouched bytes of the file.
* ``ruff_config``: the project's ruff line length, which edited lines are wrapped at.
"""
