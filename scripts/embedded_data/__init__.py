"""The modules of scripts/refresh-embedded-data (see its docstring)."""
