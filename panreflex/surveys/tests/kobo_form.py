"""A Kobo-style XLSForm as survey teams get them: cascading selects with duplicate choice names,
a calculation, a repeat, a loop, four languages and an external choice list — written with openpyxl
(used by the unit tests and the browser test)."""

from __future__ import annotations

import io

LANGS = ["Deutsch (de)", "English (en)", "Türkçe (tr)", "Українська (uk)"]


def _labels(de, en, tr, uk):
    return [de, en, tr, uk]


SURVEY = [
    ["select_one state", "state", *_labels("Bundesland", "State", "Eyalet", "Земля"), "yes", "", "", "", ""],
    ["select_one district", "district", *_labels("Kreis", "District", "İlçe", "Округ"), "yes", "", "state=${state}", "", ""],
    ["integer", "households", *_labels("Wie viele Haushalte?", "How many households?", "Kaç hane?", "Скільки домогосподарств?"),
     "yes", "", "", "", ""],
    ["integer", "persons", *_labels("Wie viele Personen?", "How many people?", "Kaç kişi?", "Скільки людей?"), "yes", "", "", "", ""],
    ["calculate", "per_household", "", "", "", "", "", "", "", "", "round(${persons} div ${households}, 1)"],
    ["note", "result_note", *_labels("Personen je Haushalt: ${per_household}", "People per household: ${per_household}",
                                     "Hane başına kişi: ${per_household}", "Людей на домогосподарство: ${per_household}"),
     "", "", "", "", ""],
    ["begin_repeat", "shelters", *_labels("Notunterkünfte", "Shelters", "Barınaklar", "Укриття"), "", "", "", "", ""],
    ["text", "shelter_name", *_labels("Name der Unterkunft", "Name of the shelter", "Barınağın adı", "Назва укриття"),
     "", "", "", "", ""],
    ["integer", "beds", *_labels("Betten", "Beds", "Yatak sayısı", "Ліжка"), "", "", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", "", "", ""],
    ["select_multiple needs", "needs", *_labels("Was wird gebraucht?", "What is needed?", "Neye ihtiyaç var?", "Що потрібно?"),
     "", "", "", "", ""],
    ["select_one needs", "priority", *_labels("Was zuerst?", "What first?", "Önce ne?", "Що спочатку?"), "", "",
     "selected(${needs}, name)", "", ""],
    ["begin loop over seasons", "season", *_labels("Jahreszeit", "Season", "Mevsim", "Сезон"), "", "", "", "", ""],
    ["integer", "incidents", *_labels("Einsätze", "Incidents", "Olaylar", "Інциденти"), "", "", "", "", ""],
    ["end loop", "", "", "", "", "", "", "", "", "", ""],
    ["range", "confidence", *_labels("Wie sicher?", "How sure?", "Ne kadar emin?", "Наскільки впевнені?"), "", "", "",
     "start=1 end=5 step=1", ""],
    ["acknowledge", "consent", *_labels("Einverstanden", "I agree", "Kabul ediyorum", "Згоден"), "", "", "", "", ""],
    ["select_one_from_file shelter_types.csv", "shelter_type",
     *_labels("Art der Unterkunft", "Kind of shelter", "Barınak türü", "Тип укриття"), "", "", "", "", ""],
    ["text", "office", *_labels("Dienststelle", "Office", "Birim", "Відділ"), "", "Rathaus", "", "", ""],
    ["hidden", "source", "", "", "", "", "", "kobo", "", "", ""],
    ["start", "start", "", "", "", "", "", "", "", "", ""],
    ["end", "end", "", "", "", "", "", "", "", "", ""],
]
SURVEY_HEADER = ["type", "name", *[f"label::{lang}" for lang in LANGS], "required", "default", "choice_filter",
                 "parameters", "calculation"]
CHOICES = [
    ["list_name", "name", *[f"label::{lang}" for lang in LANGS], "state"],
    ["state", "nw", "Nordrhein-Westfalen", "North Rhine-Westphalia", "Kuzey Ren-Vestfalya", "Північний Рейн-Вестфалія", ""],
    ["state", "by", "Bayern", "Bavaria", "Bavyera", "Баварія", ""],
    ["district", "mitte", "Mitte (Dortmund)", "Centre (Dortmund)", "Merkez (Dortmund)", "Центр (Дортмунд)", "nw"],
    ["district", "nord", "Nord (Dortmund)", "North (Dortmund)", "Kuzey (Dortmund)", "Північ (Дортмунд)", "nw"],
    ["district", "mitte", "Mitte (München)", "Centre (Munich)", "Merkez (Münih)", "Центр (Мюнхен)", "by"],
    ["needs", "water", "Wasser", "Water", "Su", "Вода", ""],
    ["needs", "food", "Essen", "Food", "Yiyecek", "Їжа", ""],
    ["needs", "blankets", "Decken", "Blankets", "Battaniye", "Ковдри", ""],
    ["seasons", "winter", "Winter", "Winter", "Kış", "Зима", ""],
    ["seasons", "summer", "Sommer", "Summer", "Yaz", "Літо", ""],
]
SETTINGS = [["form_title", "form_id", "version", "default_language", "instance_name", "allow_choice_duplicates"],
            ["Lage Notunterkünfte", "lage_notunterkuenfte", "2026120301", "Deutsch (de)",
             "concat(${district}, '-', ${households})", "yes"]]
SHELTER_TYPES_CSV = ("name,label::Deutsch (de),label::English (en),label::Türkçe (tr),label::Українська (uk)\n"
                     "school,Schule,School,Okul,Школа\ngym,Turnhalle,Gym,Spor salonu,Спортзал\n")


def kobo_workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(SURVEY_HEADER)
    for row in SURVEY:
        ws.append(row)
    cs = wb.create_sheet("choices")
    for row in CHOICES:
        cs.append(row)
    ss = wb.create_sheet("settings")
    for row in SETTINGS:
        ss.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def kobo_attachments() -> dict[str, bytes]:
    return {"shelter_types.csv": SHELTER_TYPES_CSV.encode("utf-8")}
