#!/usr/bin/env python3
"""Generates the demo files vallokaler-varmland-2026.json and rostningslokaler-varmland-2026.json
in the shape of Valmyndigheten's open data (upper-case Swedish keys, coordinates as strings with
a decimal comma, UTF-8 with BOM) for Värmland's 16 municipalities.

The content is MADE UP: plausible district and place names, addresses and coordinates near each
municipality's main town. It is not Valmyndigheten's data. The output is deterministic: run
`python3 generate.py` in this folder to write the same files again.
"""

import datetime
import json
import random

LAN = "17"
LAN_NAME = "Värmlands län"

# kommunkod, name, main town, latitude, longitude, postal code prefix, districts, röstningslokaler
KOMMUNER = [
    ("1715", "Kil", "Kil", 59.5035, 13.3190, "665",
     ["Kil centrum", "Kil norra", "Kil södra", "Fagerås", "Högboda", "Frykerud", "Stora Kil", "Tolita"],
     ["Kils bibliotek", "Kils kommunhus"]),
    ("1730", "Eda", "Charlottenberg", 59.8853, 12.2960, "673",
     ["Charlottenberg", "Åmotfors", "Koppom", "Järnskog", "Skillingmark"], ["Eda bibliotek"]),
    ("1737", "Torsby", "Torsby", 60.1360, 13.0000, "685",
     ["Torsby centrum", "Östmark", "Lekvattnet", "Fryksände", "Vitsand", "Norra Ny"],
     ["Torsby bibliotek", "Torsby kommunhus"]),
    ("1760", "Storfors", "Storfors", 59.5320, 14.2720, "688",
     ["Storfors centrum", "Storfors norra", "Bjurtjärn"], ["Storfors bibliotek"]),
    ("1761", "Hammarö", "Skoghall", 59.3240, 13.4660, "663",
     ["Skoghall centrum", "Skoghall norra", "Hammarö södra", "Mörmon", "Lillängshöjden", "Bärstad"],
     ["Hammarö bibliotek"]),
    ("1762", "Munkfors", "Munkfors", 59.8360, 13.5450, "684",
     ["Munkfors centrum", "Munkfors norra", "Ransäter"], ["Munkfors bibliotek"]),
    ("1763", "Forshaga", "Forshaga", 59.5260, 13.4800, "667",
     ["Forshaga centrum", "Forshaga norra", "Deje", "Ullerud", "Dyvelsten"], ["Forshaga bibliotek"]),
    ("1764", "Grums", "Grums", 59.3520, 13.1100, "664",
     ["Grums centrum", "Grums norra", "Borgvik", "Segmon", "Slottsbron"], ["Grums bibliotek"]),
    ("1765", "Årjäng", "Årjäng", 59.3910, 12.1340, "672",
     ["Årjäng centrum", "Silbodal", "Töcksmark", "Holmedal", "Trankil", "Blomskog"], ["Årjängs bibliotek"]),
    ("1766", "Sunne", "Sunne", 59.8380, 13.1430, "686",
     ["Sunne centrum", "Sunne östra", "Västra Ämtervik", "Östra Ämtervik", "Lysvik", "Gräsmark"],
     ["Sunne bibliotek", "Sunne kommunhus"]),
    ("1780", "Karlstad", "Karlstad", 59.3793, 13.5036, "652",
     ["Centrum", "Klara", "Herrhagen", "Haga", "Norrstrand", "Sundsta", "Gruvlyckan", "Rud", "Kronoparken",
      "Sommarro", "Orrholmen", "Färjestad", "Hultsberg", "Kroppkärr", "Våxnäs", "Stodene", "Råtorp", "Viken",
      "Romstad", "Sandbäcken", "Skåre", "Vallargärdet", "Lamberget", "Strand", "Bellevue", "Vålberg", "Väse",
      "Molkom", "Edsvalla", "Grava"],
     ["Karlstads stadsbibliotek", "Bergviks köpcentrum", "Kronoparkens centrum", "Skåre bibliotek"]),
    ("1781", "Kristinehamn", "Kristinehamn", 59.3098, 14.1081, "681",
     ["Kristinehamn centrum", "Presterud", "Stensäter", "Kvarnberget", "Björneborg", "Rudskoga", "Ölme",
      "Visnum", "Nybble", "Bäckhammar"],
     ["Kristinehamns bibliotek", "Kristinehamns kommunhus"]),
    ("1782", "Filipstad", "Filipstad", 59.7120, 14.1690, "682",
     ["Filipstad centrum", "Filipstad norra", "Lesjöfors", "Nordmark", "Kroppa", "Brattfors"],
     ["Filipstads bibliotek"]),
    ("1783", "Hagfors", "Hagfors", 60.0310, 13.6930, "683",
     ["Hagfors centrum", "Hagfors norra", "Ekshärad", "Råda", "Sunnemo", "Gustav Adolf"],
     ["Hagfors bibliotek", "Ekshärads servicekontor"]),
    ("1784", "Arvika", "Arvika", 59.6553, 12.5852, "671",
     ["Arvika centrum", "Arvika östra", "Arvika västra", "Haga", "Sulvik", "Glava", "Gunnarskog", "Stavnäs",
      "Brunskog"],
     ["Arvika bibliotek", "Arvika kommunhus"]),
    ("1785", "Säffle", "Säffle", 59.1330, 12.9310, "661",
     ["Säffle centrum", "Säffle norra", "Säffle södra", "Svanskog", "Värmlandsbro", "Långserud", "Tveta", "Kila"],
     ["Säffle bibliotek", "Svanskogs servicekontor"]),
]

STREETS = ["Storgatan", "Kyrkogatan", "Skolvägen", "Järnvägsgatan", "Parkvägen", "Ringvägen", "Torggatan",
           "Bygdevägen", "Idrottsvägen", "Sjövägen", "Kvarnvägen", "Prästgårdsvägen"]
DIRECTIONS = {"centrum": "Centrumskolan", "norra": "Norra skolan", "södra": "Södra skolan",
              "östra": "Östra skolan", "västra": "Västra skolan"}
VILLAGE_PLACES = ["{n} bygdegård", "{n} skola", "Folkets hus {n}", "{n} församlingshem", "{n} idrottshall"]


def genitive(name):
    return name if name.endswith("s") else name + "s"


def coord(x):
    return f"{x:.4f}".replace(".", ",")


def place_name(i, district, town):
    if i == 0:
        return f"{genitive(town)} församlingshem"
    last = district.split()[-1].lower()
    if last in DIRECTIONS and len(district.split()) > 1:
        return f"{DIRECTIONS[last]}, {town}"
    return VILLAGE_PLACES[i % len(VILLAGE_PLACES)].format(n=district)


def early_days():
    d = datetime.date(2026, 8, 26)
    while d <= datetime.date(2026, 9, 12):
        yield d
        d += datetime.timedelta(days=1)


def main():
    vallokaler, rostningslokaler = [], []
    for kod, name, town, lat, lon, postal, districts, rl in KOMMUNER:
        rnd = random.Random(int(kod))
        base = {"LÄNSKOD": LAN, "LÄNSNAMN": LAN_NAME, "KOMMUNKOD": kod, "KOMMUNNAMN": name}
        for i, d in enumerate(districts):
            if i == 0 or d.split()[-1].lower() in DIRECTIONS or len(districts) > 12 and i < 20:
                dlat, dlon = rnd.uniform(-0.025, 0.025), rnd.uniform(-0.045, 0.045)
            else:
                dlat, dlon = rnd.uniform(-0.12, 0.12), rnd.uniform(-0.2, 0.2)
            vallokaler.append({
                **base,
                "VALDISTRIKTKOD": f"{kod}01{i + 1:02d}",
                "VALDISTRIKTNAMN": d,
                "LOKALNAMN": place_name(i, d, town),
                "ADRESS": f"{rnd.choice(STREETS)} {rnd.randint(1, 40)}",
                "POSTNUMMER": f"{postal} {rnd.randint(30, 95)}",
                "POSTORT": town if i == 0 or len(districts) > 12 and i < 20 else d.split()[0],
                "LATITUD": coord(lat + dlat),
                "LONGITUD": coord(lon + dlon),
            })
        for j, r in enumerate(rl):
            days = []
            for day in early_days():
                weekend = day.weekday() >= 5
                if j == 0:
                    days.append((day, "11:00", "15:00") if weekend else (day, "10:00", "18:00"))
                elif not weekend and day >= datetime.date(2026, 9, 1):
                    days.append((day, "12:00", "18:00"))
            rostningslokaler.append({
                **base,
                "LOKALNAMN": r,
                "ADRESS": f"{rnd.choice(STREETS)} {rnd.randint(1, 40)}",
                "POSTNUMMER": f"{postal} {rnd.randint(30, 95)}",
                "POSTORT": town,
                "LATITUD": coord(lat + rnd.uniform(-0.02, 0.02)),
                "LONGITUD": coord(lon + rnd.uniform(-0.03, 0.03)),
                "ÖPPETTIDER": [{"DATUM": d.isoformat(), "FRÅN": a, "TILL": b} for d, a, b in days],
            })
    for fname, rows in [("vallokaler-varmland-2026.json", vallokaler),
                        ("rostningslokaler-varmland-2026.json", rostningslokaler)]:
        with open(fname, "w", encoding="utf-8-sig", newline="\n") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
