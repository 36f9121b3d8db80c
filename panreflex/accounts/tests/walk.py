from panreflex.testing.walk import WalkCase, expect


def cases(p):
    return [
        WalkCase("accounts:login", expect=expect(anonymous=200, signed_in=302)),
        WalkCase("accounts:logout", expect=expect(public=405)),
        WalkCase("accounts:profile", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:organisation_list", expect=expect(public=200)),
        WalkCase("accounts:organisation_detail", kwargs={"slug": p.dortmund.slug}, expect=expect(public=200)),
    ]
