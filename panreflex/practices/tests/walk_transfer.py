"""Persona walk cases for import and export of practice examples (appended by tests/walk.py)."""

from __future__ import annotations

from panreflex.testing.walk import WalkCase, expect


def cases(p):
    return [
        # editors (and the coordinator, who ranks above) of any organisation and staff may import
        WalkCase("practices:import", expect=expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)),
        # everyone may export what they may see, in every format
        WalkCase("practices:export", query="format=csv", expect=expect(public=200)),
        WalkCase("practices:export", query="format=xlsx&q=Impfbus", expect=expect(public=200)),
        WalkCase("practices:export", query="format=json", expect=expect(public=200)),
        WalkCase("practices:export", query="format=csv&template=1", expect=expect(public=200)),
        WalkCase("practices:export", query="format=exe", expect=expect(public=400)),
    ]
