"""Modules of the scripts that build data/embedded/: refresh-embedded-data's
parts (sources, places, build, provenance) and what every extract-* script
shares (sections: PROVENANCE.md sections; outputs: write or --check)."""
