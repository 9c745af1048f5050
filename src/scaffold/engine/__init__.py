"""The engine under every writing command: the virtual tree, the manifest, and the
transaction (lock, journal, conflict check, sinks) that takes a plan to the disk.
"""
