"""Pattern rules: phone, e-mail, URL, IP, national IDs, record IDs, long numbers, ages
over 89, addresses and ZIP codes, each with real cases and the look-alikes that are not PHI."""

from __future__ import annotations

import pytest

from phidetect.text.merge import merge_spans
from phidetect.text.recognizer import Registry
from phidetect.text.registry import default_registry
from phidetect.text.spans import Span

#: The default sweep threshold (docs/rules.md): a finding at or above it fails a release.
FAIL_ON = 0.5


@pytest.fixture(scope="module")
def registry() -> Registry:
    return default_registry()


def merged(registry: Registry, text: str) -> list[Span]:
    """Every rule's spans on ``text`` as free text, merged the way findings are."""
    return merge_spans(registry.analyze(text, "free"), text)


def rule_hits(registry: Registry, rule: str, text: str) -> list[tuple[str, str]]:
    """(span text, phi_type) of each span one rule finds on its own."""
    return [(text[s.start:s.end], s.phi_type) for s in registry[rule].analyze(text)]


def assert_found(registry: Registry, text: str, expected: str, phi_type: str, rule: str) -> Span:
    """The rule finds exactly ``expected`` and the merged output reports it as ``phi_type``."""
    assert (expected, phi_type) in rule_hits(registry, rule, text)
    spans = [s for s in merged(registry, text) if text[s.start:s.end] == expected]
    assert len(spans) == 1, [(text[s.start:s.end], s.rule) for s in merged(registry, text)]
    assert spans[0].phi_type == phi_type
    assert rule in spans[0].rules
    return spans[0]


def reported(registry: Registry, text: str) -> list[tuple[str, str, float]]:
    """Merged spans at or above the fail-on threshold: what a sweep would fail on."""
    return [(text[s.start:s.end], s.phi_type, s.score) for s in merged(registry, text) if s.score >= FAIL_ON]


#: Technical and clinical strings every pattern rule must leave alone.
LOOK_ALIKES = [
    "Circle of Willis", "Crohn disease", "Hodgkin lymphoma", "Parkinson protocol", "SIEMENS", "Philips",
    "kVp 120", "kVp 120 mAs 250 pitch 0.9", "W:400 L:40", "WW 1500 WL 450", "5.0mm", "Slice thickness 5.0mm",
    "18Hz", "Frame rate 18Hz", "MI 0.9 TIS 0.4", "V7.4.0017", "Software Versions V7.4.0017",
    "syngo MR E11 VE11C", "1.2.840.10008.5.1.4.1.1.2", "1.2.840.113619.2.55.3.604688119.969.1268071029.320",
    "DR-ID 300CL", "CT HEAD WO CONTRAST", "45Y", "057Y", "57 y/o", "Patient is 89 years old",
    "Series 3 Image 45 of 120", "Matrix 512x512 FOV 350", "DLP 1234.5 mGy*cm CTDIvol 12.34",
    "Contrast Omnipaque 350 100 mL", "L4-L5 disc bulge", "12 Lead ECG", "Rows 512 Columns 512",
    "Exposure 250 mAs 120 kVp", "T1 MPRAGE 1.0mm iso 3T",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_not_reported(registry: Registry, text: str) -> None:
    """No rule reports these at or above the fail-on threshold."""
    assert reported(registry, text) == []


# --- pattern.phone -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Call 617-555-0123 for results", "617-555-0123"),
    ("Tel: (617) 555-0123", "(617) 555-0123"),
    ("fax 617.555.0123", "617.555.0123"),
    ("phone +44 20 7946 0958", "+44 20 7946 0958"),
    ("Contact +49 30 901820", "+49 30 901820"),
    ("Mobile +1 617 555 0123 after 5pm", "+1 617 555 0123"),
])
def test_phone_found(registry: Registry, text: str, expected: str) -> None:
    """Formatted numbers (separators or +) score 0.85, plus 0.1 after a cue word."""
    span = assert_found(registry, text, expected, "PHONE", "pattern.phone")
    assert span.score >= 0.85


def test_phone_bare_digits_score_low(registry: Registry) -> None:
    """Ten bare digits look like an ID as much as a phone: 0.35, 0.6 after a cue."""
    scores = [s.score for s in registry["pattern.phone"].analyze("pager 6175550123")]
    assert scores == [0.6]
    assert [s.score for s in registry["pattern.phone"].analyze("6175550123 x")] == [0.35]


@pytest.mark.parametrize("text", [
    "kVp 120 mAs 250 slice 5.0mm",
    "1.2.840.10008.5.1.4.1.1.2",
    "Software V7.4.0017",
    "Version 4.0.12412818",
    "Pixel spacing 0.703125\\0.703125",
    "Slice thickness 0.625 spacing 0.488281",
    "Reconstruction diameter 350.000000",
    "Position -125.000000\\-125.000000\\-45.500000",
])
def test_phone_look_alikes(registry: Registry, text: str) -> None:
    """Versions, UIDs and decimal measurements are not phone numbers."""
    assert rule_hits(registry, "pattern.phone", text) == []


# --- pattern.email -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Email john.doe@example.com please", "john.doe@example.com"),
    ("Report sent to jdoe+rad@hospital.org.", "jdoe+rad@hospital.org"),
    ("Email: jane_doe99@mail.example.co.uk", "jane_doe99@mail.example.co.uk"),
])
def test_email_found(registry: Registry, text: str, expected: str) -> None:
    span = assert_found(registry, text, expected, "EMAIL", "pattern.email")
    assert span.score == 0.95


@pytest.mark.parametrize("text", ["T2@3T", "user@localhost", "dose @ 5mm", "W:400 L:40", "CT@ROOM2"])
def test_email_look_alikes(registry: Registry, text: str) -> None:
    assert rule_hits(registry, "pattern.email", text) == []


# --- pattern.url ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("See http://pacs.example.org/viewer?id=12 for images", "http://pacs.example.org/viewer?id=12"),
    ("https://portal.hospital.org/patient/4411", "https://portal.hospital.org/patient/4411"),
    ("www.example.com/report", "www.example.com/report"),
    ("Export to ftp://files.hospital.local/exports/ done", "ftp://files.hospital.local/exports/"),
])
def test_url_found(registry: Registry, text: str, expected: str) -> None:
    assert_found(registry, text, expected, "OTHER", "pattern.url")


@pytest.mark.parametrize("text", [
    "http://dicom.nema.org/medical/dicom/current/output/html/part03.html",
    "xmlns http://www.w3.org/2001/XMLSchema",
    "1.2.840.10008.5.1.4.1.1.2",
    "syngo.via VB20A",
])
def test_url_look_alikes(registry: Registry, text: str) -> None:
    """Standards and schema URLs name documents, not people; UIDs are not hosts."""
    assert rule_hits(registry, "pattern.url", text) == []


# --- pattern.ip_address --------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "score"), [
    ("PACS at 192.168.1.25 port 104", "192.168.1.25", 0.6),
    ("host 10.0.0.1", "10.0.0.1", 0.9),
    ("IP 2.6.3.6", "2.6.3.6", 0.9),
    ("IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 used", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", 0.9),
    ("server fe80:0000:0000:0000:0202:b3ff:fe1e:8329", "fe80:0000:0000:0000:0202:b3ff:fe1e:8329", 0.9),
])
def test_ip_found(registry: Registry, text: str, expected: str, score: float) -> None:
    """0.6 alone, 0.9 after a cue (IP, host, address, server)."""
    span = assert_found(registry, text, expected, "OTHER", "pattern.ip_address")
    assert span.score == score


@pytest.mark.parametrize("text", [
    "1.2.840.10008.5.1.4.1.1.2",
    "UID 1.2.840.113619.2.55.3",
    "Version 10.0.0.1.5",
    "Version 2.6.3.6",
    "0.0.0.0",
    "999.1.1.1",
    "V7.4.0017",
])
def test_ip_look_alikes(registry: Registry, text: str) -> None:
    """UIDs, versions and impossible addresses are not IP addresses."""
    assert rule_hits(registry, "pattern.ip_address", text) == []


# --- pattern.national_id -------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "score"), [
    ("SSN 123-45-6789", "123-45-6789", 0.98),
    ("Ref 123-45-6789", "123-45-6789", 0.9),     # written form: valid without a cue
    ("SSN 123456789", "123456789", 0.98),          # bare digits: only after the cue
    ("NHS 943 476 5919", "943 476 5919", 0.98),
    ("NHS number 9434765919", "9434765919", 0.98),
    ("SIN 130 692 544", "130 692 544", 0.98),
    ("BSN 1112.22.333", "1112.22.333", 0.98),
    ("personnummer 880320-0016", "880320-0016", 0.98),
    ("NIR 2 95 10 99 126 111 93", "2 95 10 99 126 111 93", 0.98),
])
def test_national_id_found(registry: Registry, text: str, expected: str, score: float) -> None:
    span = assert_found(registry, text, expected, "ID", "pattern.national_id")
    assert span.score >= score


@pytest.mark.parametrize("text", [
    "SSN 000-12-3456",   # area 000 never issued
    "SSN 666-12-3456",   # area 666 never issued
    "SSN 900-12-3456",   # 9xx areas are not SSNs
    "SSN 123-00-6789",   # group 00
    "SSN 123-45-0000",   # serial 0000
    "SSN 219-09-9999",   # SSA's advertising number
    "SSN 123-45-678",    # too short
])
def test_invalid_ssn_not_reported(registry: Registry, text: str) -> None:
    """SSN-shaped numbers that python-stdnum rejects are not reported by any rule."""
    assert rule_hits(registry, "pattern.national_id", text) == []
    assert reported(registry, text) == []


@pytest.mark.parametrize("text", [
    "NHS 943 476 5918",   # NHS check digit wrong
    "SIN 130 692 545",    # SIN Luhn check wrong
    "BSN 1112.22.334",    # BSN 11-proof wrong
    "Ref 123456789",      # bare digits without a cue word
])
def test_national_id_checksum_and_cue(registry: Registry, text: str) -> None:
    """A wrong check digit, or bare digits with no cue, is not a national ID."""
    assert rule_hits(registry, "pattern.national_id", text) == []
    assert all(phi != "ID" or score < FAIL_ON for _, phi, score in reported(registry, text))


# --- pattern.record_id ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("MRN 12345678", "12345678"),
    ("MRN: A1234567", "A1234567"),
    ("mrn#00123456", "00123456"),
    ("Acc# 98765", "98765"),
    ("Accession No. 2020-12345", "2020-12345"),
    ("Patient ID: PID-00123", "PID-00123"),
    ("Chart # 44556", "44556"),
    ("Pt ID 1234567", "1234567"),
    ("Order #: 7788", "7788"),
])
def test_record_id_found(registry: Registry, text: str, expected: str) -> None:
    """The value right after its cue word, without the cue."""
    span = assert_found(registry, text, expected, "ID", "pattern.record_id")
    assert span.score >= 0.8


@pytest.mark.parametrize("text", [
    "ID: CHEST", "DR-ID 300CL", "Study ID 3", "Series #301", "Station ID CT01", "Patient ID: ANON",
])
def test_record_id_look_alikes(registry: Registry, text: str) -> None:
    """A cue word followed by a word, a short number or a device code is not a record."""
    assert rule_hits(registry, "pattern.record_id", text) == []


# --- pattern.long_number -------------------------------------------------------------

def test_long_number_in_prose(registry: Registry) -> None:
    """8+ digits inside prose: reported at 0.4, below the fail-on threshold."""
    span = assert_found(registry, "Ref 123456789 on file", "123456789", "ID", "pattern.long_number")
    assert span.score == 0.4 < FAIL_ON


@pytest.mark.parametrize("text", [
    "12345678",                            # the whole value: a code of its element
    "Ref 1234567 on file",                 # 7 digits
    "1.2.840.113619.2.55.3.604688119.969",  # UID parts
    "Dose 12345678.5 mGy",                 # decimal
    "Range 12345678-12345690",             # part of a range
])
def test_long_number_look_alikes(registry: Registry, text: str) -> None:
    assert rule_hits(registry, "pattern.long_number", text) == []


# --- pattern.age ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("092Y", "092Y"),
    ("Age 090Y", "090Y"),
    ("92 y/o female", "92 y/o"),
    ("Patient is 91 years old", "91 years old"),
    ("Patient is 101-year-old", "101-year-old"),
    ("95 yo M", "95 yo"),
    ("age 95", "age 95"),
    ("aged 90", "aged 90"),
    ("93YF  ID 12", "93Y"),          # an overlay's age with the sex glued on
])
def test_age_over_89_found(registry: Registry, text: str, expected: str) -> None:
    """HIPAA: every age over 89 is PHI, written as DICOM AS or in prose."""
    span = assert_found(registry, text, expected, "AGE", "pattern.age")
    assert span.score == 0.9


@pytest.mark.parametrize("text", [
    "45Y", "057Y", "089Y", "89Y", "57 y/o", "89 years old", "age 45", "Patient aged 45 years",
    "kVp 120", "120 kV", "130Y", "Gain 95", "Series 92", "92YX", "45YM",
])
def test_age_look_alikes(registry: Registry, text: str) -> None:
    """Ages up to 89, impossible ages and numbers without an age word are not PHI."""
    assert rule_hits(registry, "pattern.age", text) == []


# --- pattern.address -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Lives at 123 Main Street", "123 Main Street"),
    ("Home: 4500 Oak Ridge Rd. Apt 4B", "4500 Oak Ridge Rd. Apt 4B"),
    ("1600 Pennsylvania Ave", "1600 Pennsylvania Ave"),
    ("Mail to PO Box 1234", "PO Box 1234"),
    ("P.O. Box 77", "P.O. Box 77"),
    ("Springfield, IL 62704", "Springfield, IL 62704"),
    ("Boston MA 02115", "Boston MA 02115"),
])
def test_address_found(registry: Registry, text: str, expected: str) -> None:
    assert_found(registry, text, expected, "ADDRESS", "pattern.address")


@pytest.mark.parametrize("text", [
    "5 St", "3 Dr", "2 Pt", "Image 5 Dr. Smith", "L4-L5 disc", "12 Lead ECG", "CT 3 Phase Liver",
    "XR KNEE 3 VIEWS LEFT", "Lumbar spine 5 Views", "CT HEAD WO CONTRAST",
    # study and series descriptions whose words are also USPS street suffixes
    "XR CHEST 2 VIEW", "MG 2 View Bilateral", "XR FOOT 3 VW", "Cine 4 Chamber View",
    "MR Liver 2 Point Dixon",
])
def test_address_look_alikes(registry: Registry, text: str) -> None:
    """View counts, chamber views and Dixon points are not street addresses."""
    assert rule_hits(registry, "pattern.address", text) == []


# --- pattern.zip ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("zip 02115", "02115"),
    ("Zip code: 90210-1234", "90210-1234"),
    ("postal code 62704", "62704"),
])
def test_zip_found(registry: Registry, text: str, expected: str) -> None:
    span = assert_found(registry, text, expected, "ADDRESS", "pattern.zip")
    assert span.score == 0.7


@pytest.mark.parametrize("text", ["Series 12345", "Dose 62704 mGy", "Study 02115 series", "zip 1234", "zip 123456"])
def test_zip_needs_cue_and_five_digits(registry: Registry, text: str) -> None:
    """Five digits without the ZIP cue, or the cue with the wrong length, are not a ZIP."""
    assert rule_hits(registry, "pattern.zip", text) == []


@pytest.mark.parametrize("text", ["Protocol ID: 5001", "Coil ID 1234", "Image No. 0123", "Window 0400 0040",
                                  "Call 555-0123", "time 10:30:00"])
def test_equipment_ids_and_short_numbers_are_silent(text: str) -> None:
    """Identifiers of things and short digit groups without a cue are not patient PHI."""
    spans = merge_spans(default_registry().analyze(text, "free"), text)
    assert [s for s in spans if s.score >= 0.5] == []


def test_compressed_ipv6_found() -> None:
    text = "host 2001:db8::8a2e:370:7334 down"
    spans = merge_spans(default_registry().analyze(text, "free"), text)
    assert [(text[s.start:s.end], s.rule) for s in spans] == [("2001:db8::8a2e:370:7334", "pattern.ip_address")]


@pytest.mark.parametrize("text,expected", [
    ("AGMC Sports Medicine", "AGMC Sports Medicine"),
    ("CT abdomen at Mercy Hospital today", "Mercy Hospital"),
    ("Lakeside Radiology", "Lakeside Radiology"),
    ("Seen at St. Mary Hospital today", "St. Mary Hospital"),
    ("Prior exam at Hospital Universitario de Asturias. staging", "Hospital Universitario de Asturias"),
    ("Verlegt aus Klinikum Angermünde", "Klinikum Angermünde"),
    ("Seen at Hôpital Bouvet today", "Hôpital Bouvet"),
    ("CHU de Quimperlé", "CHU de Quimperlé"),
    ("St. Ravenhof Krankenhaus", "St. Ravenhof Krankenhaus"),
    ("Centrum Medyczne Zgorzelec", "Centrum Medyczne Zgorzelec"),
    ("transférée de la clinique Goncalves", "clinique Goncalves"),   # a leading noun in lower case
    ("Universitatsklinikum Querfurt", "Universitatsklinikum Querfurt"),  # its umlaut lost
    ("Radiologie Lübben", "Radiologie Lübben"),
    ("Institut Curie", "Institut Curie"),
    ("HOSPITAL UNIVERSITARIO DE ORVANEDA", "HOSPITAL UNIVERSITARIO DE ORVANEDA"),   # capitals, as burned in
    ("from KLINIKUM HASSELBRUCK", "KLINIKUM HASSELBRUCK"),
    ("University Hospital of Quellmoor", "University Hospital of Quellmoor"),         # named after "of"
    ("ROYAL INFIRMARY OF DUNMARROW", "ROYAL INFIRMARY OF DUNMARROW"),
    ("Hospital of the University of Tessaly", "Hospital of the University of Tessaly"),
])
def test_institution_names(text: str, expected: str) -> None:
    spans = merge_spans(default_registry().analyze(text, "free"), text)
    assert [text[s.start:s.end] for s in spans if s.phi_type == "INSTITUTION"] == [expected]


@pytest.mark.parametrize("text", ["Nuclear Medicine", "Philips Healthcare", "GE Healthcare", "Community Hospital",
                                  "Department of Radiology", "Internal Medicine follow-up",
                                  "Hospital Course: uneventful", "Hospital Day 3", "Hospital ID 4",
                                  "Das Krankenhaus", "CHU", "the Klinikum", "hospital stay was long",
                                  "the hospital Xu said", "chu Leroy", "Radiologie", "Radiologie Zentrum",
                                  "Radiologie: CT Thorax", "HOSPITAL DAY 3", "HOSPITAL COURSE", "KLINIKUM",
                                  "Institute of Radiology", "Clinic of Internal Medicine",
                                  "UNIVERSITY HOSPITAL OF THE CITY", "the hospital of Dr Quorn"])
def test_specialties_and_manufacturers_are_not_institutions(text: str) -> None:
    spans = merge_spans(default_registry().analyze(text, "free"), text)
    assert [s for s in spans if s.phi_type == "INSTITUTION"] == []


@pytest.mark.parametrize("text,expected", [
    ("Contact: mateusz.szalata@gmail.com, 578 440 720.", "578 440 720"),   # cue far before, PL number
    ("Contact: randy.bruce@hotmail.com, 461-442-9629.", "461-442-9629"),   # unassigned US area code
    ("Contact: x@y.de, 01255963044.", "01255963044"),                      # bare digits after a cue
])
def test_contact_numbers_found(registry: Registry, text: str, expected: str) -> None:
    assert (expected, "PHONE") in [(t, p) for t, p, _ in reported(registry, text)]


@pytest.mark.parametrize("text,expected", [
    ("Address: 70, chemin de Arnaud, 46399 Germain-la-Forêt. Mother: X", "70, chemin de Arnaud, 46399 Germain-la-Forêt"),
    ("Adresse: Slobodan-Gertz-Allee 1-9, 78431 Hannoversch Münden", "Slobodan-Gertz-Allee 1-9, 78431 Hannoversch Münden"),
])
def test_labelled_addresses(registry: Registry, text: str, expected: str) -> None:
    assert (expected, "ADDRESS") in rule_hits(registry, "pattern.labelled_address", text)


@pytest.mark.parametrize("text", ["Address: see chart", "IP address 10.0.0.1 down", "2V Alzheimer protocol pt",
                                  "3V Circle of Willis pt", "Seen by 3 Dr Smith"])
def test_clinical_text_is_no_address(registry: Registry, text: str) -> None:
    assert [t for t, p, _ in reported(registry, text) if p == "ADDRESS"] == []
