"""Fake providers on loopback that speak the real protocols of the production adapters."""
