"""Test support shared by every app: factories, personas, the persona walk (see conftest.py)."""
