import datetime as dt

from panreflex.improvements.services import action_item_create
from panreflex.testing.walk import WalkCase, expect


def setup(p):
    p.walk_action_item = action_item_create(
        organisation=p.dortmund, author=p.alice, title="Walk: Kontaktliste prüfen", responsible_user=p.bob,
        start_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 3, 1),
    )


def cases(p):
    item = p.walk_action_item
    members = {"vera": 200, "bob": 200, "alice": 200, "carla": 200, "dora": 200}
    editors = {"alice": 200, "carla": 200, "dora": 200}
    exports = [
        WalkCase(name, query="organisation=dortmund", expect=expect(anonymous=302, default=404, **members))
        for name in ("improvements:export_csv", "improvements:export_xlsx", "improvements:export_ics")
    ]
    return [
        WalkCase("improvements:plan", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("improvements:plan", query="organisation=dortmund&overdue=on&sort=-due",
                 expect=expect(anonymous=302, default=404, **members)),
        WalkCase("improvements:plan", query="organisation=dortmund", htmx=True,
                 expect=expect(anonymous=302, default=404, **members)),
        WalkCase("improvements:create", query="organisation=dortmund",
                 expect=expect(anonymous=302, default=404, **editors)),
        *exports,
        WalkCase("improvements:detail", kwargs={"pk": item.pk}, expect=expect(default=404, **members)),
        WalkCase("improvements:edit", kwargs={"pk": item.pk}, expect=expect(anonymous=302, default=404, **editors)),
        WalkCase("improvements:progress", kwargs={"pk": item.pk},
                 expect=expect(anonymous=302, default=404, bob=200, **editors)),
        WalkCase("improvements:delete", kwargs={"pk": item.pk}, expect=expect(anonymous=302, default=404, **editors)),
    ]
