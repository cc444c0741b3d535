"""The words of clinical free text that introduce, follow or surround a person.

Written by hand from radiology requests, reports and technologists' notes in English
as hospitals the world over write it (titles of many countries, relatives, interpreters,
referrers, sign-offs, cc/attn lines). A cue is evidence, not proof: the person rule
(phidetect.text.people) still asks the words after it to look like a name.
"""

from __future__ import annotations

#: Titles and honorifics before a name, in English and in the languages of the world's
#: patients ("Shri", "Smt.", "Bapak", "Ibu", "Alhaji", "Bey", "Ông", "Bà", "Mallam").
TITLES = frozenset({
    "dr", "dr.", "doctor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "prof", "prof.",
    "professor", "sr", "sr.", "sra", "sra.", "srta", "shri", "sri", "smt", "smt.", "kumari", "km.", "bapak",
    "pak", "ibu", "bu", "alhaji", "alhaja", "hajia", "haji", "hajjah", "chief", "mallam", "malam", "engr",
    "engr.", "barrister", "pastor", "rev", "rev.", "reverend", "fr.", "dato", "dato'", "datuk", "begum", "bey",
    "hanım", "hanim", "ông", "bà", "anh", "chị", "bwana", "mzee", "madam", "madame", "mme", "mme.", "mlle",
    "herr", "frau", "sheikh", "sayın", "sayin", "md.", "mst.", "mst", "sister", "nurse", "matron", "consultant", "surgeon",
    # Viet Nam (Bác sĩ, Thạc sĩ, Tiến sĩ, Phó giáo sư, Giáo sư), Indonesia and Malaysia (Saudara/i,
    # Ners, dokter gigi, Hajjah), Turkey (Uzman, Operatör, Doçent, Hemşire), and others
    "bs", "bs.", "ths", "ths.", "ts.", "pgs", "pgs.", "gs.", "sdr", "sdr.", "sdri", "sdri.", "ns.", "drg", "drg.",
    "hj", "hj.", "tuan", "puan", "encik", "cik", "uzm", "uzm.", "op.", "doç", "doç.", "yrd.", "hemşire", "hem.",
    "atty", "atty.", "barr", "barr.", "hon", "hon.", "sir", "dame", "rabbi", "imam", "ustaz", "ustazah", "pandit",
    "swami", "syed", "sayyid", "hafiz", "mama", "baba", "gogo", "mkhulu", "capt", "capt.", "col.",
    "maj.", "lt.", "sgt.", "kum", "kum.", "km", "sri.", "shrimati", "thiru", "tmt", "tmt.", "selvi", "sushri",
})
#: Names of identity documents and numbers: capitalised, never a person ("Aadhaar verified").
ID_SCHEME_WORDS = frozenset({
    "aadhaar", "aadhar", "cnic", "nicop", "nin", "nid", "cccd", "cmnd", "sss", "philhealth", "umid", "kimlik",
    "tckn", "nik", "ktp", "pan", "ppsn", "pps", "nhs", "ssn", "kra", "passport", "nagarikta", "citizenship",
    "uhid", "mrn", "medicare", "medicaid", "ohip", "ahv", "pesel", "bsn", "cpr", "curp", "cpf", "rut",
})
#: Nouns of a person's role: before a name ("daughter Harini", "interpreter Phúc Dương"),
#: as a label ("Interpreter: ..."), in brackets after one ("Ngozi (daughter)").
ROLE_NOUNS = frozenset({
    "mother", "father", "mum", "mom", "dad", "wife", "husband", "son", "daughter", "spouse", "partner",
    "guardian", "kin", "parent", "parents", "sibling", "brother", "sister", "aunt", "auntie", "uncle", "niece",
    "nephew", "cousin", "grandmother", "grandfather", "granddaughter", "grandson", "grandparent", "fiance",
    "fiancé", "fiancee", "fiancée", "caregiver", "carer", "relative", "friend", "neighbour", "neighbor",
    "escort", "companion", "interpreter", "translator", "chaperone", "witness", "informant", "contact",
    "attendant", "nurse", "midwife", "doctor", "physician", "radiologist", "consultant", "registrar",
    "surgeon", "resident", "fellow", "intern", "attending", "referrer", "gp", "sonographer", "radiographer",
    "technologist", "tech", "therapist", "physio", "pharmacist", "coordinator", "matron",
    "patient", "pt", "referring", "reader", "reporter", "operator", "performer", "colleague", "supervisor",
    "nok", "sponsor", "visitor", "advocate", "keyworker", "proxy",
    # abbreviations of roles as labels write them ("Interp: ...", "Sonog: ...")
    "interp", "interp.", "sono", "sonog", "radiog", "technol", "physio.",
})
#: Words and phrases after which a single capitalised word is already a person:
#: "dictated by Okafor", "discussed with Nwachukwu", "cc: Mwangi".
STRONG_PHRASES = frozenset({
    "discussed with", "spoke with", "spoke to", "speak with", "talked to", "talked with", "f/u with",
    "follow up with", "follow-up with", "followup with", "seen by", "dictated by", "signed by", "reviewed by",
    "read by", "referred by", "consented by", "verified by", "approved by", "reported by", "transcribed by",
    "performed by", "scanned by", "accompanied by", "requested by", "ordered by", "supervised by",
    "examined by", "injected by", "checked by", "confirmed by", "witnessed by", "interpreted by",
    "translated by", "escorted by", "brought by", "informed", "notified", "paged", "called", "contacted",
    "cc", "cc:", "c.c.", "c.c", "c.c.:", "attn", "attn:", "c/o", "care of", "ref", "ref:", "ref.", "referred to", "handed over to",
    "results to", "copy to", "report to", "d/w", "s/w", "per dr", "seen with",
    # sign-offs and hand-overs: the words after them are the writer's or the receiver's name
    "regards", "kind regards", "best regards", "warm regards", "thanks", "thank you", "many thanks", "cheers",
    "sincerely", "yours sincerely", "yours faithfully", "best wishes", "sgd", "sgd.", "signed:",
    "arranged by", "booked by", "released to", "phoned to", "faxed to", "sent to", "handed to", "known to",
    "under the care of", "on behalf of", "obtained by", "cannulated by", "prepared by", "typed by",
    "dictated", "reported", "verified", "reviewed", "authorised by", "authorized by", "chaperoned by",
})
#: Strong phrases that only a person follows (sign-offs, dictation and consent lines), never
#: a team or a drug: "discussed with" may name a department, "transcribed by" does not.
PERSON_PHRASES = frozenset({
    "dictated by", "transcribed by", "reported by", "verified by", "signed by", "typed by", "regards",
    "kind regards", "best regards", "warm regards", "thanks", "thank you", "many thanks", "sincerely", "cheers",
    "sgd", "consented by", "witnessed by", "interpreted by", "translated by", "escorted by", "accompanied by",
    "chaperoned by", "cannulated by", "scanned by", "prelim read by", "read by", "approved by", "authorised by",
    "authorized by", "prepared by", "examined by", "injected by", "attn",
})
#: Short words that often come before a person but as often before anything else: the
#: words after them must look like a name of two or more words.
WEAK_CUES = frozenset({"with", "by", "per", "to", "from", "and", "for", "re", "re:", "&", "or", "via"})
#: Credentials and roles after a name: "Ngozi Nwachukwu, RN", "A. Shrestha MBBS".
CREDENTIALS = frozenset({
    "rn", "md", "mbbs", "frcr", "frcs", "mrcp", "frcp", "do", "phd", "rt", "rt(r)", "rdms", "rvt", "rdcs",
    "arrt", "crnp", "np", "pa", "pa-c", "mbchb", "mb", "bch", "fcrad", "fwacs", "fwacp", "fmcr", "dmrd", "dnb",
    "mch", "dm", "ms", "mph", "bsc", "msc", "mbbch", "facr", "facc", "facs", "fracr", "franzcr", "mmed",
    "mrcs", "lpn", "cna", "bsn", "msn", "dnp", "pharmd", "dpt", "radiographer", "sonographer",
    "interpreter", "consultant", "registrar", "(interpreter)", "(daughter)", "(son)", "(wife)", "(husband)",
})
#: Verbs and roles right after a person ("Otieno Kamau was present", "Harini consented").
AFTER_WORDS = frozenset({
    "present", "accompanied", "accompanying", "consented", "consents", "interpreted", "interpreting",
    "translated", "translating", "attended", "agreed", "declined", "refused", "requested", "stated", "states",
    "says", "said", "phoned", "called", "informed", "notified", "signed", "witnessed", "escorted", "reports",
    "reported", "confirmed", "aware", "verbalised", "verbalized", "understands",
})
#: Lower-case name particles inside a name: "Pieter van der Merwe", "Juan dela Cruz",
#: "Ahmad bin Ismail", "Donagh Ó Grianna", "Siti binti Abdullah".
PARTICLES = frozenset({
    "van", "der", "den", "de", "la", "le", "dela", "del", "della", "delos", "los", "las", "da", "das", "dos",
    "do", "du", "di", "von", "zu", "ten", "ter", "bin", "binti", "bint", "ibn", "ben", "al", "el", "abu",
    "mac", "mc", "ó", "o'", "ní", "nic", "ui", "ua", "uí", "ap", "y", "e", "st", "st.", "te", "ka",
})
#: Words after which the capitalised words before them name a place or an organisation,
#: not a person (addresses and institutions have rules of their own).
PLACE_NOUNS = frozenset({
    "hospital", "hospitals", "clinic", "clinics", "centre", "center", "university", "college", "institute",
    "medical", "teaching", "health", "healthcare", "diagnostics", "imaging", "radiology", "laboratory",
    "laboratories", "lab", "foundation", "general", "district", "county", "state", "province", "region",
    "regional", "city", "town", "village", "road", "rd", "rd.", "street", "st", "avenue", "ave", "lane",
    "close", "drive", "way", "crescent", "jalan", "bulvari", "bulvarı", "caddesi", "cad.", "sokak",
    "mahallesi", "nagar", "marg", "estate", "layout", "colony", "sector", "market", "church", "mosque",
    "school", "memorial", "specialist", "infirmary", "polyclinic", "dispensary", "pharmacy", "ward",
    "unit", "department", "dept", "trust", "nhs", "group", "limited", "ltd", "inc", "plc", "airport",
    "station", "park", "plaza", "towers", "house", "building", "complex", "mall",
})
