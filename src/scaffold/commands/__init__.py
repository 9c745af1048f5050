"""The command line: each module parses one command's arguments, calls the engine, prints.

No module here plans or writes anything itself; ``main.run`` is the one place where
errors become messages and exit codes.
"""
