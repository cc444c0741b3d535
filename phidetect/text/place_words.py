"""Words of street addresses and localities in the languages of the world's patients.

Shared by the street-line rule, which reads an address from them, and the person rule,
which stays silent on a street's or a place's name ("Jalan Sudirman", "tỉnh Lào Cai").
Written by hand from the postal conventions of the countries named in each list.
"""

from __future__ import annotations

from phidetect.text.addresses import STREET_SUFFIXES

#: Words before a street's name: "Jalan Sudirman", "Jl. Merdeka", "Đường Lê Lợi", "Calle Mayor".
STREET_FIRST = frozenset({
    "jalan", "jl", "jln", "gang", "gg", "lorong", "persiaran", "lebuh", "lebuhraya", "taman", "kampung", "kg",
    "đường", "phố", "ngõ", "hẻm", "ngách", "calle", "avenida", "avda", "rua", "rue", "via", "viale", "piazza",
    "ulica", "ul", "soi", "thanon", "barangay", "brgy", "purok", "sitio", "mohalla", "gali", "chak", "plot"})
#: Words after a street's or a neighbourhood's name: "Iyengar Road", "Atatürk Cad.", "Karawal Nagar".
STREET_LAST = frozenset({
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "crescent", "drive", "way", "marg",
    "path", "nagar", "colony", "chowk", "bazar", "bazaar", "layout", "enclave", "vihar", "cad", "caddesi", "cd",
    "sok", "sokak", "sokağı", "sk", "bulvarı", "blv", "bulvar", "mah", "mahallesi", "mh", "estate", "extension",
    "boulevard", "blvd", "highway", "hwy", "place", "terrace", "court", "square", "gardens", "park",
    "indlela", "umgwaqo", "isitaladi", "straat", "weg", "laan", "rylaan", *STREET_SUFFIXES})
#: Words that name a locality or a division: "phường", "Kec.", "District", "Tehsil".
LOCALITY = frozenset({
    "phường", "xã", "quận", "huyện", "tỉnh", "thành", "tp", "thôn", "ấp", "khóm", "khu", "kelurahan", "kel",
    "kecamatan", "kec", "kabupaten", "kab", "kota", "desa", "provinsi", "rt", "rw", "ilçe", "district", "dist",
    "tehsil", "taluk", "taluka", "zila", "zilla", "upazila", "thana", "province", "county", "parish", "town",
    "village", "p.o", "po", "p/o"})
#: English words of these lists count only when capitalised ("the district nurse" is no address).
ENGLISH_PLACE_WORDS = frozenset({
    "road", "street", "avenue", "lane", "close", "crescent", "drive", "way", "path", "colony", "estate",
    "extension", "place", "terrace", "court", "square", "gardens", "park", "district", "province", "county",
    "parish", "town", "village", "highway", "boulevard", "layout", "enclave", "plot", "po"})
#: Words that join the parts of a line without being evidence: "No. 5", "Street of", "de".
CONNECTORS = frozenset({"no", "no.", "of", "de", "del", "la", "van", "số", "and", "&"})
#: Words of these lists that are no English word: a capitalised one beside a run of name
#: words says the run is a place.
FOREIGN_PLACE_WORDS = (STREET_FIRST | LOCALITY | {"indlela", "umgwaqo", "isitaladi", "straat", "caddesi", "cad",
                                                  "sokak", "sokağı", "bulvarı", "mahallesi", "marg", "nagar"}) \
    - ENGLISH_PLACE_WORDS - {"via", "rue", "plot", "po", "kg", "ul", "av", "rt", "rw", "tp", "kel", "kec", "kab"}
