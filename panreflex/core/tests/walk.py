from panreflex.testing.walk import WalkCase, expect


def cases(p):
    return [
        WalkCase("core:home", expect=expect(public=200)),
        WalkCase("core:dashboard", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("core:datasources", expect=expect(public=200)),
        WalkCase("core:accessibility", expect=expect(public=200)),
        WalkCase("core:imprint", expect=expect(public=200)),
    ]
