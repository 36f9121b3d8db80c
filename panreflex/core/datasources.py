"""Every dataset the platform ships, with its credit line (shown on the Datenquellen page and under
maps and charts). Facts from shared/data/SOURCES.md; keys are referenced by `Place.source` etc."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dataset:
    key: str
    title: object
    content: object
    source: str
    licence: str
    credit: str
    modified: bool = True


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in [
        Dataset(
            "nrw-municipalities",
            _("Municipalities of North Rhine-Westphalia"),
            _("All 396 NRW municipalities: AGS, ARS, name, type, district, population (31.12.2019), area, "
              "postcode, centre, degree of urbanisation."),
            "BKG VG5000 (Stand 01.01.2021, via GitHub Praesklepios/geoGermany); Destatis GV-ISys extract "
            "(via GitHub grundeinkommensbuero/backend)",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2.0)",
            "© GeoBasis-DE / BKG 2021 (Daten verändert); Statistisches Bundesamt (Destatis), "
            "Gemeindeverzeichnis-Informationssystem GV-ISys (Daten verändert)",
        ),
        Dataset(
            "germany-districts",
            _("German districts"),
            _("All 401 German districts and district-free cities: AGS, type, name, NUTS 3, area, population "
              "(31.12.2018)."),
            "npm package landkreise-deutschland 3.0.0 (Destatis figures)",
            "CC BY 4.0",
            "Statistisches Bundesamt (Destatis), via landkreise-deutschland",
            modified=False,
        ),
        Dataset(
            "nrw-boundaries",
            _("Boundaries of NRW municipalities and districts"),
            _("Municipality and district boundaries, converted to WGS84 and simplified to about 20 m."),
            "BKG VG5000 (01.01.2021) via GitHub Praesklepios/geoGermany",
            "dl-de/by-2.0",
            "© GeoBasis-DE / BKG 2021 (Daten verändert)",
        ),
        Dataset(
            "covid-districts",
            _("COVID-19 figures of the five partner cities"),
            _("Daily cases, deaths, 7-day values and ICU occupancy 2020-01-02 to 2023-06-01 for Düsseldorf, "
              "Essen, Köln, Gelsenkirchen and Dortmund."),
            "GitHub entorb/COVID-19-Coronavirus-German-Regions (derived from RKI figures)",
            "dl-de/by-2.0",
            "Robert Koch-Institut (RKI), dl-de/by-2.0, zusammengestellt von entorb (Daten verändert)",
        ),
        Dataset(
            "gisd",
            _("German Index of Socioeconomic Deprivation (GISD)"),
            _("GISD scores per NRW district and municipality association, 1998–2021 (higher = more deprived)."),
            "GitHub robert-koch-institut/German_Index_of_Socioeconomic_Deprivation_GISD",
            "CC BY 4.0",
            "Robert Koch-Institut, German Index of Socioeconomic Deprivation (GISD)",
            modified=False,
        ),
        # chronology of the multi-level app (panreflex/multilevel/data/SOURCES.md); kept apart by licence
        Dataset(
            "oxcgrt-deu",
            _("OxCGRT: policy indicators and stringency index for Germany"),
            _("Daily indicator values and indices 2020–2022 and one row per change of an indicator. The "
              "“national” value is the strictest rule in force anywhere in Germany, whichever government set it."),
            "Oxford COVID-19 Government Response Tracker (GitHub OxCGRT/covid-policy-tracker-legacy, "
            "OxCGRT/covid-policy-dataset)",
            "CC BY 4.0",
            "Oxford COVID-19 Government Response Tracker, Blavatnik School of Government, University of Oxford "
            "(CC BY 4.0), Daten verändert / data modified",
        ),
        Dataset(
            "cccsl-deu-nrw",
            _("CCCSL: measures for Germany and North Rhine-Westphalia (first wave)"),
            _("Government interventions January–May 2020. Share-alike licence: kept in a file of its own and "
              "never merged into the CC BY data."),
            "Complexity Science Hub COVID-19 Control Strategies List (GitHub amel-github/covid19-interventionmeasures)",
            "CC BY-SA 4.0",
            "Complexity Science Hub COVID-19 Control Strategies List (CCCSL), CC BY-SA 4.0, Daten verändert / "
            "data modified",
        ),
        Dataset(
            "curated-nrw",
            _("NRW Coronaschutzverordnung versions (transcribed, incomplete)"),
            _("Versions of the NRW Coronaschutzverordnung, federal and NRW acts and two Bund-Länder meetings, "
              "transcribed from public web pages; many versions are missing."),
            "Public web pages named in each row (recht.nrw.de, coronavirus.nrw, municipal sites)",
            _("Facts and official works (§ 5 UrhG); no third-party licence"),
            "PanReflex-Transkription öffentlicher Webseiten (Quellen je Zeile)",
            modified=False,
        ),
    ]
}


def credit_line(key: str) -> str:
    return DATASETS[key].credit
