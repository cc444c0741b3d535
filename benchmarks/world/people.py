"""Regions and the people of each, named from Faker's locales (never from phidetect's lists).

Where Faker has a region only in its native script (Bangladesh: bn_BD, Nepal: ne_NP; en_BD
has no names of its own and falls back to en_US), the native script is used: there is no
Latin-script source for those names, and transliterating by hand would invent them. The
Philippines has no person provider in Faker (en_PH, fil_PH and tl_PH fall back to en_US):
its people take Spanish-derived surnames from es_ES and given names from en_US or es_ES,
the usual shape of Filipino names, and that region is marked as a stand-in.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from faker import Faker

try:  # optional second source for Turkish names
    from mimesis import Person as MimesisPerson
    from mimesis.enums import Gender as MimesisGender
    from mimesis.locales import Locale as MimesisLocale
except ImportError:  # pragma: no cover - mimesis is not a dependency
    MimesisPerson = None

_MIMESIS: dict[int, object] = {}


@dataclass(frozen=True)
class Person:
    """One person: ``given`` (all given names), ``surname``, and how the name is ordered."""

    given: str
    surname: str
    surname_first: bool = False  # Vietnamese order: "Nguyễn Văn An"
    source: str = ""  # the locale the parts came from

    @property
    def call(self) -> str:
        """The name used alone ("Ngozi's husband"): the last given name in surname-first
        order (An of Nguyễn Văn An), else the first."""
        parts = self.given.split()
        return parts[-1] if self.surname_first else parts[0]

    def full(self) -> str:
        """The name as its country writes it in prose."""
        return f"{self.surname} {self.given}" if self.surname_first else f"{self.given} {self.surname}"

    def dicom(self) -> str:
        """DICOM PN: Family^Given."""
        return f"{self.surname}^{self.given}"


@dataclass
class Region:
    """A country of the test set: its people, titles, ID, phone region and address locale."""

    code: str  # ISO 3166 alpha-2, also the phonenumbers region
    name: str
    locales: list[str]  # Faker locales the names come from
    address_locale: str
    titles: list[str]
    latin: bool = True  # names in Latin script
    stand_in: str = ""  # why the names are not the region's own, if they are not
    address_fallback: bool = False  # Faker's address provider is the generic (US-shaped) one
    _fakers: dict[str, Faker] = field(default_factory=dict, repr=False)

    def faker(self, locale: str, seed: int) -> Faker:
        """A Faker for ``locale`` seeded from the run seed and the region (stable across runs)."""
        key = f"{locale}:{seed}"
        if key not in self._fakers:
            fake = Faker(locale)
            fake.seed_instance(zlib.crc32(f"{seed}:{self.code}:{locale}".encode()))
            self._fakers[key] = fake
        return self._fakers[key]


COMMON_TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Prof.", "Sister", "Nurse"]

REGIONS: list[Region] = [
    Region("US", "United States (control)", ["en_US"], "en_US", COMMON_TITLES),
    Region("NG", "Nigeria", ["en_NG", "yo_NG", "ig_NG", "ha_NG"], "en_NG",
           COMMON_TITLES + ["Alhaji", "Chief", "Mallam", "Pastor", "Barr."], address_fallback=True),
    Region("IN", "India", ["en_IN"], "en_IN", COMMON_TITLES + ["Shri", "Smt.", "Kum."]),
    Region("VN", "Viet Nam", ["vi_VN"], "vi_VN", COMMON_TITLES + ["Ông", "Bà", "BS."]),
    Region("ID", "Indonesia", ["id_ID"], "id_ID", COMMON_TITLES + ["Bapak", "Ibu", "dr.", "Sdr."]),
    Region("PH", "Philippines", ["es_ES", "en_US"], "en_PH", COMMON_TITLES + ["Atty.", "Engr."],
           stand_in="Faker has no Filipino person provider: es_ES surnames, en_US/es_ES given names"),
    Region("TR", "Turkey", ["tr_TR", "mimesis:tr"], "tr_TR", COMMON_TITLES + ["Doç. Dr.", "Op. Dr.", "Uzm. Dr."],
           address_fallback=True),
    Region("IE", "Ireland", ["en_IE", "ga_IE"], "en_IE", COMMON_TITLES + ["Fr.", "Sr."]),
    Region("KE", "Kenya", ["en_KE"], "en_KE", COMMON_TITLES + ["Mama", "Mzee"], address_fallback=True),
    Region("ZA", "South Africa", ["zu_ZA"], "zu_ZA", COMMON_TITLES + ["Sr", "Gogo"]),
    Region("PK", "Pakistan", ["en_PK"], "en_PK", COMMON_TITLES + ["Begum", "Syed", "Hafiz"], address_fallback=True),
    Region("BD", "Bangladesh", ["bn_BD"], "en_BD", COMMON_TITLES + ["Md.", "Begum"], latin=False,
           stand_in="no Latin-script Bangladeshi names in Faker (en_BD falls back to en_US): bn_BD Bengali script"),
    Region("NP", "Nepal", ["ne_NP"], "ne_NP", COMMON_TITLES + ["Shri", "Sushri"], latin=False,
           stand_in="no Latin-script Nepali names in Faker: ne_NP Devanagari"),
]

BY_CODE = {region.code: region for region in REGIONS}


def _mimesis_person(seed: int, rng: random.Random) -> Person | None:
    """A Turkish name from mimesis (one generator per run seed), or None without mimesis."""
    if MimesisPerson is None:
        return None
    if seed not in _MIMESIS:
        _MIMESIS[seed] = MimesisPerson(MimesisLocale.TR, seed=zlib.crc32(f"{seed}:TR:mimesis".encode()))
    maker = _MIMESIS[seed]
    sex = MimesisGender.FEMALE if rng.random() < 0.5 else MimesisGender.MALE
    return Person(_clean(maker.first_name(sex)), _clean(maker.last_name(sex)), source="mimesis:tr")


def _clean(part: str) -> str:
    """One name part without the padding spaces some locales leave."""
    return " ".join(part.split())


def make_person(region: Region, rng: random.Random, seed: int) -> Person:
    """A person of ``region``: a locale drawn from the region's list, then its name parts."""
    locale = rng.choice(region.locales)
    if locale == "mimesis:tr":
        person = _mimesis_person(seed, rng)
        if person is not None:
            return person
        locale = "tr_TR"
    female = rng.random() < 0.5
    if region.code == "PH":
        surname_fake = region.faker("es_ES", seed)
        given_fake = region.faker(rng.choice(["en_US", "es_ES"]), seed)
        given = given_fake.first_name_female() if female else given_fake.first_name_male()
        if rng.random() < 0.3:  # Filipino middle name: the mother's surname, often as an initial
            given += " " + surname_fake.last_name()[0] + "."
        return Person(_clean(given), _clean(surname_fake.last_name()), source="es_ES+en_US/es_ES")
    fake = region.faker(locale, seed)
    given = fake.first_name_female() if female else fake.first_name_male()
    if region.code == "VN":
        middle = fake.middle_name() if hasattr(fake, "middle_name") else ""
        return Person(_clean(f"{middle} {given}"), _clean(fake.last_name()), surname_first=True, source=locale)
    if region.code == "IN" and rng.random() < 0.15:  # a second given name now and then
        given += " " + (fake.first_name_female() if female else fake.first_name_male())
    return Person(_clean(given), _clean(fake.last_name()), source=locale)
