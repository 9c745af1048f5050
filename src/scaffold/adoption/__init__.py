"""``scaffold adopt``: read an existing FastAPI project and write the scaffold.yaml it needs.

Everything here reads the project's code with ``ast`` (``index.py`` parses each file once);
nothing imports or runs it. Each detection is its own module and returns a value with the
evidence it found (``evidence.py``); ``adopt.py`` puts them together, ``yaml_writer.py``
writes the commented file and ``adapter.py`` the module for names the project lacks.
"""
