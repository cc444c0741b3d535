"""Clinical sentence templates and the filler that plants people, identifiers and look-alikes.

A template is text with ``{slot}`` marks. Name slots plant a new person of the file's
region in one written form (``name`` "Ngozi Okafor", ``surname``, ``given`` "Ngozi",
``comma`` "Okafor, Ngozi", ``caps`` "OKAFOR Ngozi", ``upper`` "NGOZI OKAFOR", ``initial``
"N. Okafor", ``caret`` "OKAFOR^NGOZI"); ``pgiven``/``pfull``/``ref``/``refsur`` are the
file's own patient and referring physician (names that are in the header). Identifier slots
plant the region's record number, national ID, phone, date or address; look-alike slots
(``sign``, ``drug``, ``model``...) plant a term of ``lookalikes.KINDS`` that is not PHI.
A digit at a slot's end (``name2``, ``drug2``) only makes it a second draw.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from world import identifiers as ids
from world.compose import Builder
from world.lookalikes import KINDS
from world.people import Person, Region, make_person

NAME_TEMPLATES = [
    "Discussed with {title} {name} ({staff}) by phone; agrees with plan.",
    "Consented by {relation} {name}.",
    "Consent signed by {relation}, {name}, as patient unable to sign.",
    "Interpreter {name} present throughout.",
    "{name} (interpreter) present; history obtained via interpreter.",
    "Dictated by {title} {name}.",
    "Dictated by {initial}, transcribed by {given}.",
    "cc: {title} {surname}, {dept}",
    "cc {name}; cc {dept}",
    "Attn {title} {surname}: please review the {anatomy} images.",
    "ATTN: {caps}",
    "f/u with {title} {surname} in {n} weeks.",
    "Per {title} {name}, {protocol} to be done first.",
    "Per {given}, patient fasted from midnight.",
    "{pgiven}'s {relation} reports worsening pain since the last visit.",
    "Accompanied by {relation} {name} and {relation2} {given}.",
    "Escorted by {relation} {upper}.",
    "History from {relation} ({name}) via interpreter {name2}.",
    "Findings d/w {title} {name} at handover.",
    "Results phoned to {title} {surname}, on call.",
    "Discussed with {name}, {staff}, who will inform the family.",
    "Referred by {title} {comma} from an outside clinic.",
    "Outside films reviewed by {title} {name}; report to follow.",
    "Second opinion requested from {title} {name}.",
    "Reviewed with consultant {title} {surname}. Agree {syndrome} likely.",
    "Patient known to {title} {name}'s team.",
    "Seen previously by {title} {name} for {syndrome}.",
    "Next of kin: {name} ({relation}).",
    "NOK {caps}, {relation}.",
    "Emergency contact {name}, {relation}.",
    "{sign} noted. — {name}, RN",
    "Cannulated by {name}, RN; {contrast} given without reaction.",
    "Scanned by radiographer {name}.",
    "Sonographer: {name}",
    "Chaperone {name} present for the examination.",
    "Verbal consent obtained in the presence of nurse {given}.",
    "Prelim read by {title} {surname}, final by {title2} {name}.",
    "Reported by {initial}; verified by {title} {name}.",
    "Patient's {relation} {name} requests a copy of the images.",
    "Images released to {relation} {name} on request.",
    "Booked by {name} from {dept}.",
    "Requested by {title} {name} ({dept}).",
    "Ward nurse {given} informed of the {fracture}.",
    "Handed over to {title} {surname} at shift change.",
    "Thanks, {given}.",
    "Regards, {name}",
    "Kind regards, {title} {name}, radiology registrar",
    "Reading radiologist: {comma}",
    "Supervising consultant {caret}",
    "{caps} present as witness.",
    "Contact {relation} {name} before discharge.",
    "{relation} ({upper}) translated for the patient.",
    "Called {name} ({relation}); no answer.",
    "Transport arranged by {name}.",
    "Pt's {relation}, {name}, works as a nurse here.",
    "Family friend {name} brought the patient in.",
    "{caps} to be called with the results.",
    "Identity of {pfull} confirmed with {relation} {name}.",
    "Discussed with {title} {ref}, referring physician.",
    "As per {title} {refsur}'s request, {protocol} performed.",
    "{given} {surname} (physio) to mobilise after {fracture} fixation.",
    "Per {comma}, {drug} withheld for 48 hours.",
]

RECORD_TEMPLATES = ["Hosp no. {record}.", "Old file {record} retrieved.", "Prior imaging filed under {record}.",
                    "Reg No: {record}", "IP No {record}, bed 12.", "Outside record {record} (transfer).",
                    "Ref {record}", "{record} (previous admission)"]
NATID_TEMPLATES = ["{natid} verified at registration.", "Identity checked: {natid}.", "{natid_bare} on file.",
                   "ID {natid_bare} given by {relation}.", "{natid}"]
PHONE_TEMPLATES = ["Contact {relation} on {phone}.", "Tel {phone}", "Call back on {phone} if symptoms worsen.",
                   "Mobile: {phone}", "Reachable at {phone} after 5pm.", "{phone} (home)"]
DATE_TEMPLATES = ["Symptoms since {date}.", "Previous scan {date} for comparison.", "Fall on {date}.",
                  "Last seen {date}.", "LMP {date}.", "Operated on {date}.", "{relation} born {dob}.",
                  "Injury dated {date}", "Compared with outside CT of {date}."]
ADDRESS_TEMPLATES = ["Lives at {address}.", "Address: {address}", "Transferred from home at {address}.",
                     "Home visit to {address} arranged.", "Residing {address}"]
IDENTIFIER_TEMPLATES = {"record": RECORD_TEMPLATES, "national_id": NATID_TEMPLATES, "phone": PHONE_TEMPLATES,
                        "date": DATE_TEMPLATES, "address": ADDRESS_TEMPLATES}

LOOKALIKE_TEMPLATES = [
    "{fracture} of the {bone}.", "{fracture}, {classification}.", "Classified as {classification}.",
    "{classification} on this study.", "{sign} noted.", "No {sign}.", "Positive {sign}.",
    "{sign} present on the frontal view.", "Free fluid in the {anatomy}.", "{anatomy} unremarkable.",
    "Small collection near the {anatomy}.", "Consistent with {syndrome}.", "Known {syndrome}.",
    "Features suggest {syndrome}; correlate clinically.", "History of {syndrome}, on {drug}.",
    "{contrast} {volume} mL IV at {rate} mL/s.", "{contrast} given, no reaction.", "Oral {contrast} 1 hour prior.",
    "{tracer} PET/CT for staging.", "{tracer} {activity} MBq injected.", "{therapy} cycle {n}.",
    "Acquired on {model}.", "{vendor} {model}.", "Scanner: {model} ({vendor}).", "{sequence} degraded by motion.",
    "Add {sequence} and {sequence2}.", "Repeat {sequence} post contrast.", "Protocol: {protocol}.",
    "{protocol} as requested.", "Discussed with {dept}.", "cc: {dept}", "Attn {dept}",
    "f/u with {modality} in {n} weeks.", "Results to {dept}.", "Per {dept} request.",
    "Premedicated with {drug} {dose} mg.", "On {drug} and {drug2}.", "Withhold {drug} for 48 hours after contrast.",
    "Compare with prior {modality}.", "{sign} and {anatomy} fluid; {syndrome} favoured.",
    "Follow up with {modality} in {n} months.", "Findings discussed with {dept} and {dept2}.",
]

SHORT_NAME_TEMPLATES = ["CT HEAD - Dr {surname}", "MRI L-SPINE per {title} {surname}", "{modality} for {title} {surname}",
                        "US ABDO attn {given}", "XR CHEST ({surname})", "{modality} - {caps}", "{protocol} per {given}"]
SHORT_LOOKALIKE_TEMPLATES = ["{protocol}", "{modality} {sequence}", "{tracer} PET", "{model} QA", "{fracture} f/u",
                             "{classification} follow-up", "{modality} ?{syndrome}", "{contrast} {modality}",
                             "{therapy} cycle {n}", "{modality} {anatomy}"]

RELATIONS = ["daughter", "son", "wife", "husband", "mother", "father", "brother", "sister", "niece", "nephew",
             "aunt", "uncle", "guardian", "grandmother", "grandfather", "cousin", "partner", "carer"]
STAFF = ["interpreter", "charge nurse", "radiographer", "sonographer", "registrar", "resident", "consultant",
         "GP", "midwife", "social worker", "chaplain", "physiotherapist", "house officer", "fellow"]
BONES = ["lateral malleolus", "distal radius", "fifth metatarsal", "proximal humerus", "femoral neck",
         "tibial plateau", "scaphoid waist", "base of the first metacarpal", "odontoid peg", "medial epicondyle"]
MODALITIES = ["MRI", "CT", "US", "PET/CT", "X-ray", "DXA", "mammography", "MRCP"]
NAME_FORMS = {"name", "given", "surname", "comma", "caps", "upper", "initial", "caret"}
HEADER_FORMS = {"pgiven", "pfull", "ref", "refsur"}
SLOT = re.compile(r"\{([a-z_]+?)(\d?)\}")


@dataclass
class FileContext:
    """What the templates of one file draw from: its region, people and random source."""

    region: Region
    rng: random.Random
    seed: int
    patient: Person
    referrer: Person
    patient_birth: dt.date
    patient_female: bool


def name_form(person: Person, form: str) -> str:
    """``person`` written in ``form`` (see the module docstring)."""
    if form == "name":
        return person.full()
    if form == "given":
        return person.call
    if form == "surname":
        return person.surname
    if form == "comma":
        return f"{person.surname}, {person.given}"
    if form == "caps":
        return f"{person.surname.upper()} {person.given}"
    if form == "upper":
        return person.full().upper()
    if form == "initial":
        return f"{person.call[0]}. {person.surname}"
    if form == "caret":
        return f"{person.surname.upper()}^{person.given.upper()}"
    raise ValueError(form)


def _header_name(ctx: FileContext, form: str) -> tuple[str, str]:
    """(text, form) of one of the file's own header people."""
    if form == "pgiven":
        return ctx.patient.call, "given"
    if form == "pfull":
        return ctx.patient.full(), "name"
    if form == "ref":
        return ctx.referrer.full(), "name"
    return ctx.referrer.surname, "surname"


def _fill(slot: str, ctx: FileContext, out: Builder) -> None:
    """Write one slot into ``out``: a planted piece, or plain words."""
    rng, region = ctx.rng, ctx.region
    if slot in NAME_FORMS:
        person = make_person(region, rng, ctx.seed)
        out.plant(name_form(person, slot), "NAME", "name", slot)
    elif slot in HEADER_FORMS:
        text, form = _header_name(ctx, slot)
        out.plant(text, "NAME", "name", form, in_header=True)
    elif slot == "title":
        out.add(rng.choice(region.titles))
    elif slot in KINDS:
        out.plant(rng.choice(KINDS[slot]), "", "lookalike", slot)
    elif slot == "record":
        shape, value = ids.record_number(rng)
        out.plant(value, "ID", "record", shape)
    elif slot in ("natid", "natid_bare"):
        fake = region.faker(region.locales[0] if region.code != "PH" else "en_PH", ctx.seed)
        nid = ids.national_id(region, fake, rng, ids.random_day(rng, 1940, 2005), rng.random() < 0.5)
        if slot == "natid":
            out.add(nid.label + rng.choice([" ", ": ", " - "]))
        out.plant(nid.value, "ID", "national_id", nid.kind)
    elif slot == "phone":
        out.plant(ids.phone(region, rng), "PHONE", "phone", region.code)
    elif slot in ("date", "dob"):
        day = ids.random_day(rng, 2012, 2024) if slot == "date" else ids.random_day(rng, 1930, 2010)
        shape, text = ids.date_text(day, rng)
        out.plant(text, "DATE", "date", shape)
    elif slot == "address":
        out.plant(ids.address(region, region.faker(region.address_locale, ctx.seed)), "ADDRESS", "address",
                  region.code)
    else:
        out.add(_words(slot, rng))


def _words(slot: str, rng: random.Random) -> str:
    """Plain (not planted) words: roles, numbers, modalities."""
    choices = {"relation": RELATIONS, "staff": STAFF, "bone": BONES, "modality": MODALITIES}
    if slot in choices:
        return rng.choice(choices[slot])
    numbers = {"n": (1, 12), "volume": (50, 120), "activity": (150, 400), "dose": (4, 40)}
    if slot in numbers:
        return str(rng.randint(*numbers[slot]))
    if slot == "rate":
        return rng.choice(["2.5", "3", "3.5", "4", "5"])
    raise ValueError(f"unknown slot {slot!r}")


def render(template: str, ctx: FileContext) -> Builder:
    """``template`` with every slot filled, as a Builder (spans tracked)."""
    out = Builder()
    position = 0
    for match in SLOT.finditer(template):
        out.add(template[position:match.start()])
        _fill(match.group(1), ctx, out)
        position = match.end()
    out.add(template[position:])
    return out


def template_count() -> dict[str, int]:
    """How many templates of each family there are."""
    return {"name": len(NAME_TEMPLATES), "identifier": sum(len(t) for t in IDENTIFIER_TEMPLATES.values()),
            "lookalike": len(LOOKALIKE_TEMPLATES), "short_name": len(SHORT_NAME_TEMPLATES),
            "short_lookalike": len(SHORT_LOOKALIKE_TEMPLATES)}
