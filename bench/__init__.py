"""The benchmark harness: synthetic corpora, the floor script, timings (`python -m bench`)."""
