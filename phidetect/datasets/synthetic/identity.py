"""Fake people, places and identifiers for one file, drawn from Faker.

Each file gets its own seeded Faker call sequence, so file ``i`` of a seed is the same
whatever ``n`` is. Dates are derived from the random generator, never from today
(Faker's ``date_of_birth`` depends on the current date and would break determinism).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np
from faker import Faker

#: Faker locale -> share of files. Non-English locales bring accented names.
LOCALES: tuple[tuple[str, float], ...] = (
    ("en_US", 0.6), ("de_DE", 0.1), ("fr_FR", 0.1), ("es_ES", 0.1), ("pl_PL", 0.1),
)

INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "en_US": ("{city} General Hospital", "St. {last} Medical Center", "{city} Regional Medical Center",
              "{last} Memorial Hospital", "{city} Imaging Center"),
    "de_DE": ("Klinikum {city}", "Universitätsklinikum {city}", "St. {last} Krankenhaus", "Radiologie {city}"),
    "fr_FR": ("Centre Hospitalier de {city}", "CHU de {city}", "Clinique {last}", "Hôpital {last}"),
    "es_ES": ("Hospital Universitario de {city}", "Hospital {last}", "Clínica {city}"),
    "pl_PL": ("Szpital Wojewódzki {city}", "Szpital Miejski {city}", "Centrum Medyczne {last}"),
}

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE",
                       "œ": "oe", "Œ": "OE"})


def fold_ascii(text: str) -> str:
    """Drop accents (for Hershey fonts and e-mail addresses, which only know ASCII)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def faker_for(locale: str, seed: int) -> Faker:
    """The shared Faker of ``locale``, reseeded: same seed, same answers."""
    fake = _faker(locale)
    fake.seed_instance(seed)
    return fake


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    middle: str = ""

    def pn(self, style: int = 0) -> str:
        """The name as a DICOM PN value, in one of a few styles seen in real files."""
        if style == 1:
            return f"{self.family.upper()}^{self.given.upper()}"
        if style == 2 and self.middle:
            return f"{self.family}^{self.given}^{self.middle}"
        if style == 3:
            return f"{self.family}^{self.given}^^Dr."
        return f"{self.family}^{self.given}"

    def spoken(self, style: int) -> str:
        """The name as people write it in free text or burn it into images."""
        return (f"{self.given} {self.family}", f"{self.family}, {self.given}",
                f"{self.family.upper()}^{self.given.upper()}", f"{self.given.upper()} {self.family.upper()}",
                f"{self.given[0]}. {self.family}", f"{self.family.upper()}, {self.given.upper()}")[style % 6]


@dataclass(frozen=True)
class Identity:
    """Everything identifying about one file's patient, staff, place and time."""

    locale: str
    patient: Person
    sex: str
    birth: date
    study: date
    study_time: str
    patient_id: str
    other_ids: tuple[str, ...]
    accession: str
    institution: str
    institution_address: str
    address: str
    phone: str
    email: str
    referring: Person
    operator: Person
    performing: tuple[Person, ...]
    reading: Person
    mother_family: str
    station: str
    serial: str

    @property
    def age(self) -> int:
        """Whole years at the study date."""
        years = self.study.year - self.birth.year
        return years - ((self.study.month, self.study.day) < (self.birth.month, self.birth.day))


def _person(fake: Faker, rng: np.random.Generator, sex: str | None = None) -> Person:
    sex = sex or ("M" if rng.random() < 0.5 else "F")
    given = fake.first_name_male() if sex == "M" else fake.first_name_female()
    middle = (fake.first_name_male() if sex == "M" else fake.first_name_female()) if rng.random() < 0.3 else ""
    return Person(fake.last_name(), given, middle)


def _digits(rng: np.random.Generator, count: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, count))


def _patient_id(rng: np.random.Generator) -> str:
    style = int(rng.integers(0, 4))
    if style == 0:
        return _digits(rng, int(rng.integers(7, 11)))
    if style == 1:
        return "ABCDEFHKMPZ"[int(rng.integers(0, 11))] + _digits(rng, 7)
    if style == 2:
        return f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 3)}"
    return "00" + _digits(rng, 6)


def _accession(rng: np.random.Generator, study: date) -> str:
    style = int(rng.integers(0, 3))
    if style == 0:
        return "A" + _digits(rng, 8)
    if style == 1:
        return f"{study.year}{_digits(rng, 6)}"
    return "ACC" + _digits(rng, 7)


def _short(fake: Faker, method: str, limit: int) -> str:
    """A Faker value no longer than ``limit`` (SH and LO limits), deterministic."""
    for _ in range(12):
        value = getattr(fake, method)()
        if len(value) <= limit:
            return value
    return value[:limit].rstrip(" -,")


def _pick(rng: np.random.Generator, options: tuple[str, ...] | list[str]) -> str:
    return options[int(rng.integers(0, len(options)))]


def make_identity(rng: np.random.Generator, faker_seed: int, modality: str) -> Identity:
    """A coherent fake patient, care team, institution and study for one file."""
    locales = [name for name, _ in LOCALES]
    locale = locales[int(rng.choice(len(LOCALES), p=[p for _, p in LOCALES]))]
    fake = faker_for(locale, faker_seed)
    sex = "M" if rng.random() < 0.5 else "F"
    patient = _person(fake, rng, sex)
    study = date(2008, 1, 1) + timedelta(days=int(rng.integers(0, 16 * 365)))
    age = int(rng.integers(90, 104)) if rng.random() < 0.1 else int(rng.integers(1, 89))
    birth = study - timedelta(days=int(age * 365.25 + rng.integers(0, 360)))
    time_of_day = int(rng.integers(7 * 3600, 19 * 3600))
    study_time = f"{time_of_day // 3600:02d}{time_of_day // 60 % 60:02d}{time_of_day % 60:02d}"
    city = _short(fake, "city", 30)
    template = _pick(rng, INSTITUTIONS[locale])
    institution = template.format(city=city, last=fake.last_name())[:64]
    inst_address = f"{_short(fake, 'street_address', 40)}, {fake.postcode()} {city}"
    address = fake.address().replace("\n", ", ")
    if len(address) > 64:
        address = f"{_short(fake, 'street_address', 40)}, {city}"[:64]
    phone = _short(fake, "phone_number", 16)
    user = fold_ascii(f"{patient.given}.{patient.family}").lower().replace(" ", "").replace("'", "")
    email = f"{user}@{fake.free_email_domain()}"
    other_ids = tuple(_patient_id(rng) for _ in range(int(rng.integers(1, 3))))
    if locale == "en_US" and rng.random() < 0.4:
        other_ids += (f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 4)}",)  # SSN-shaped
    station_styles = (f"{modality}{_digits(rng, 2)}", f"{modality}_ROOM{_digits(rng, 1)}",
                      f"{fold_ascii(city).upper()[:6]}{modality}{_digits(rng, 1)}")
    return Identity(
        locale=locale, patient=patient, sex=sex, birth=birth, study=study, study_time=study_time,
        patient_id=_patient_id(rng), other_ids=other_ids, accession=_accession(rng, study),
        institution=institution, institution_address=inst_address, address=address, phone=phone,
        email=email, referring=_person(fake, rng), operator=_person(fake, rng),
        performing=tuple(_person(fake, rng) for _ in range(int(rng.integers(1, 3)))),
        reading=_person(fake, rng), mother_family=fake.last_name(),
        station=_pick(rng, station_styles)[:16], serial=_digits(rng, int(rng.integers(5, 9))),
    )
