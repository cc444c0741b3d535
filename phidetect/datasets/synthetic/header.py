"""Build one file's header: file meta, patient, study, series, equipment, image, nested
sequences and a private block, with PHI planted in varying places and recorded.

Which elements appear varies per file (each by its own chance), as in real archives.
UIDs are derived from (seed, index, role), never from a clock or a random source, so
the same seed gives the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import date

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import UID

from phidetect.datasets.synthetic import freetext
from phidetect.datasets.synthetic.identity import Identity, Person
from phidetect.datasets.synthetic.kinds import Kind
from phidetect.datasets.synthetic.lookalikes import DESCRIPTIONS, EPONYMS
from phidetect.datasets.synthetic.planter import Planter, item_prefix, tag_text

#: Name-based (version 5) UUIDs: pydicom's generate_uid(prefix=None) ignores its entropy
#: sources and returns a random UUID, which would make every run differ.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "phidetect.datasets.synthetic")


def name_uid(*parts: object) -> UID:
    """``2.25.<uuid>`` where the UUID depends only on ``parts`` (PS3.5 B.2)."""
    return UID(f"2.25.{uuid.uuid5(UID_NAMESPACE, '|'.join(map(str, parts))).int}")


IMPLEMENTATION_UID = name_uid("implementation", 1)
IMPLEMENTATION_VERSION = "PHIDETECT_SYN1"
PRIVATE_CREATORS = ("SYNTHETIC PACS 1.2", "ACME RIS", "MEDVIEW_PRIVATE", "HOSP_WORKLIST 3")
TEXT_VRS = {"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT"}


def make_uid(seed: int, index: int, role: str) -> str:
    """A 2.25 UID that depends only on (seed, index, role)."""
    return name_uid(seed, index, role)


def _da(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _digits(rng: np.random.Generator, count: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, count))


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(0, len(options)))]


def _chance(rng: np.random.Generator, p: float) -> bool:
    return bool(rng.random() < p)


def file_meta(kind: Kind, sop_uid: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = kind.sop_class
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = kind.transfer_syntax
    meta.ImplementationClassUID = IMPLEMENTATION_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION
    return meta


def _names(rng: np.random.Generator, people: tuple[Person, ...] | list[Person]) -> list[str]:
    return [p.pn(int(rng.integers(0, 4))) for p in people]


def _patient(ds: Dataset, plant: Planter, who: Identity, rng: np.random.Generator) -> None:
    if _chance(rng, 0.95):
        plant.put(ds, "PatientName", who.patient.pn(int(rng.integers(0, 3))), "NAME")
    else:
        ds.PatientName = ""
    plant.put(ds, "PatientID", who.patient_id, "ID")
    if _chance(rng, 0.85):
        plant.put(ds, "PatientBirthDate", _da(who.birth), "DATE")
    else:
        ds.PatientBirthDate = ""
    ds.PatientSex = who.sex
    if _chance(rng, 0.7):  # ages over 89 identify (HIPAA); younger ones are listed, not required
        plant.put(ds, "PatientAge", f"{min(who.age, 999):03d}Y", "AGE", required=who.age > 89)
    if _chance(rng, 0.5):
        ds.PatientWeight = f"{rng.uniform(45, 110):.1f}"
        ds.PatientSize = f"{rng.uniform(1.5, 1.95):.2f}"
    if _chance(rng, 0.35):
        plant.put(ds, "OtherPatientIDs", list(who.other_ids), "ID")
    if _chance(rng, 0.35):
        items = []
        for i, other in enumerate(who.other_ids):
            item = Dataset()
            prefix = item_prefix("OtherPatientIDsSequence", i)
            plant.put(item, "PatientID", other, "ID", prefix=prefix)
            if _chance(rng, 0.4):  # the issuing hospital names a place; a system name does not
                plant.put(item, "IssuerOfPatientID", who.institution, "INSTITUTION", prefix=prefix)
            else:
                plant.put(item, "IssuerOfPatientID", _pick(rng, ("EMPI", "RIS", "LAB")), "INSTITUTION",
                          required=False, prefix=prefix)
            item.TypeOfPatientID = "TEXT"
            items.append(item)
        ds.OtherPatientIDsSequence = items
    if _chance(rng, 0.3):
        plant.put(ds, "PatientAddress", who.address, "ADDRESS")
    if _chance(rng, 0.3):
        plant.put(ds, "PatientTelephoneNumbers", who.phone, "PHONE")
    if _chance(rng, 0.15):
        plant.put(ds, "PatientMotherBirthName", who.mother_family, "NAME")
    if _chance(rng, 0.2):
        plant.text(ds, "PatientComments", freetext.patient_comments(who, rng))
    if _chance(rng, 0.35):
        plant.text(ds, "AdditionalPatientHistory", freetext.patient_history(who, rng))
    if _chance(rng, 0.25):
        item = Dataset()
        item.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.1.1"  # Detached Patient Management (retired)
        plant.put(item, "ReferencedSOPInstanceUID", name_uid("patient", who.patient_id), "UID", required=False,
                  prefix=item_prefix("ReferencedPatientSequence"))
        ds.ReferencedPatientSequence = [item]


def _referring_identification(plant: Planter, who: Identity, rng: np.random.Generator) -> Dataset:
    """ReferringPhysicianIdentificationSequence: two levels deep, with a code for the person."""
    outer = item_prefix("ReferringPhysicianIdentificationSequence")
    item = Dataset()
    plant.put(item, "InstitutionName", who.institution, "INSTITUTION", prefix=outer)
    plant.put(item, "PersonTelephoneNumbers", who.phone if _chance(rng, 0.3) else f"+1 555 {_digits(rng, 7)}",
              "PHONE", prefix=outer)
    code = Dataset()
    inner = item_prefix("PersonIdentificationCodeSequence", 0, outer)
    plant.put(code, "CodeValue", _digits(rng, 10), "ID", prefix=inner)
    code.CodingSchemeDesignator = "L"
    plant.put(code, "CodeMeaning", who.referring.spoken(int(rng.integers(0, 6))), "NAME", prefix=inner)
    item.PersonIdentificationCodeSequence = [code]
    return item


def _study(ds: Dataset, plant: Planter, who: Identity, kind: Kind, uids: dict[str, str],
           rng: np.random.Generator) -> None:
    plant.put(ds, "StudyInstanceUID", uids["study"], "UID", required=False)
    plant.put(ds, "StudyDate", _da(who.study), "DATE")
    plant.put(ds, "StudyTime", who.study_time, "DATE", required=False)
    if _chance(rng, 0.75):
        plant.put(ds, "ReferringPhysicianName", who.referring.pn(int(rng.integers(0, 4))), "NAME")
    else:
        ds.ReferringPhysicianName = ""
    if _chance(rng, 0.2):
        ds.ReferringPhysicianIdentificationSequence = [_referring_identification(plant, who, rng)]
    if _chance(rng, 0.8):  # a counter, not a person's identity: listed, not required
        plant.put(ds, "StudyID", _digits(rng, int(rng.integers(3, 7))), "ID", required=False)
    if _chance(rng, 0.85):
        plant.put(ds, "AccessionNumber", who.accession, "ID")
    else:
        ds.AccessionNumber = ""
    if _chance(rng, 0.9):
        plant.text(ds, "StudyDescription", freetext.fit(freetext.study_description, 64, rng, who, kind.modality))
    if _chance(rng, 0.3):
        plant.put(ds, "NameOfPhysiciansReadingStudy", _names(rng, [who.reading]), "NAME")
    if _chance(rng, 0.2):
        plant.put(ds, "RequestingPhysician", who.referring.pn(0), "NAME")
    if _chance(rng, 0.3):
        plant.text(ds, "RequestedProcedureDescription",
                   freetext.fit(freetext.requested_procedure, 64, rng, who, kind.modality))
    if _chance(rng, 0.4):
        code = Dataset()
        code.CodeValue = f"{kind.modality}{_digits(rng, 4)}"
        code.CodingSchemeDesignator = _pick(rng, ("L", "99LOCAL"))
        code.CodeMeaning = _pick(rng, DESCRIPTIONS[kind.modality] + EPONYMS)
        ds.ProcedureCodeSequence = [code]
    if _chance(rng, 0.45):
        prefix = item_prefix("RequestAttributesSequence")
        item = Dataset()
        plant.put(item, "RequestedProcedureID", f"RP{_digits(rng, 8)}", "ID", prefix=prefix)
        plant.put(item, "ScheduledProcedureStepID", f"SPS{_digits(rng, 6)}", "ID", prefix=prefix)
        plant.text(item, "RequestedProcedureDescription",
                   freetext.fit(freetext.requested_procedure, 64, rng, who, kind.modality), prefix=prefix)
        item.ScheduledProcedureStepDescription = _pick(rng, EPONYMS)
        if _chance(rng, 0.5):
            plant.put(item, "AccessionNumber", who.accession, "ID", prefix=prefix)
        ds.RequestAttributesSequence = [item]


def _series(ds: Dataset, plant: Planter, who: Identity, kind: Kind, uids: dict[str, str],
            rng: np.random.Generator) -> None:
    ds.Modality = kind.modality
    plant.put(ds, "SeriesInstanceUID", uids["series"], "UID", required=False)
    ds.SeriesNumber = int(rng.integers(1, 12))
    if _chance(rng, 0.7):
        plant.put(ds, "SeriesDate", _da(who.study), "DATE")
        plant.put(ds, "SeriesTime", who.study_time, "DATE", required=False)
    if _chance(rng, 0.85):
        plant.text(ds, "SeriesDescription", freetext.fit(freetext.series_description, 64, rng, who, kind.modality))
    if _chance(rng, 0.6):
        ds.ProtocolName = _pick(rng, EPONYMS + DESCRIPTIONS[kind.modality])
    if _chance(rng, 0.4):
        plant.put(ds, "PerformingPhysicianName", _names(rng, who.performing), "NAME")
    if _chance(rng, 0.55):
        plant.put(ds, "OperatorsName", _names(rng, [who.operator]), "NAME")
    if kind.family in ("ct", "mr"):
        plant.put(ds, "FrameOfReferenceUID", uids["frame"], "UID", required=False)
        ds.PositionReferenceIndicator = ""


def _equipment(ds: Dataset, plant: Planter, who: Identity, manufacturer: str, model: str,
               rng: np.random.Generator) -> None:
    ds.Manufacturer = manufacturer
    ds.ManufacturerModelName = model
    if _chance(rng, 0.8):
        plant.put(ds, "InstitutionName", who.institution, "INSTITUTION")
    if _chance(rng, 0.4):
        plant.put(ds, "InstitutionAddress", who.institution_address, "ADDRESS")
    if _chance(rng, 0.3):  # a generic department names no one: listed, not required
        plant.put(ds, "InstitutionalDepartmentName", _pick(rng, ("Radiology", "Diagnostic Imaging", "RAD")),
                  "INSTITUTION", required=False)
    if _chance(rng, 0.5):
        plant.put(ds, "StationName", who.station, "DEVICE")
    if _chance(rng, 0.5):
        plant.put(ds, "DeviceSerialNumber", who.serial, "DEVICE")


def _image(ds: Dataset, plant: Planter, who: Identity, rng: np.random.Generator) -> None:
    ds.InstanceNumber = int(rng.integers(1, 200))
    ds.AcquisitionNumber = int(rng.integers(1, 5))
    if _chance(rng, 0.6):
        plant.put(ds, "AcquisitionDate", _da(who.study), "DATE")
        plant.put(ds, "AcquisitionTime", who.study_time, "DATE", required=False)
    if _chance(rng, 0.8):
        plant.put(ds, "ContentDate", _da(who.study), "DATE")
        plant.put(ds, "ContentTime", who.study_time, "DATE", required=False)
    if _chance(rng, 0.15):
        plant.put(ds, "AcquisitionDateTime", _da(who.study) + who.study_time, "DATE")
    if _chance(rng, 0.3):
        plant.put(ds, "InstanceCreationDate", _da(who.study), "DATE")
        plant.put(ds, "InstanceCreationTime", who.study_time, "DATE", required=False)
    if _chance(rng, 0.4):
        plant.text(ds, "ImageComments", freetext.image_comments(who, rng))


def _private(ds: Dataset, plant: Planter, who: Identity, rng: np.random.Generator) -> None:
    """A private block holding a name, an MRN, a note, and a non-PHI eponym and number."""
    group = _pick(rng, (0x0011, 0x0019, 0x0029, 0x0033))
    block = ds.private_block(group, _pick(rng, PRIVATE_CREATORS), create=True)
    plant.private(block, 0x10, "LO", who.patient.spoken(int(rng.integers(0, 6))), "NAME")
    if _chance(rng, 0.7):
        plant.private(block, 0x11, "LO", who.patient_id, "ID")
    if _chance(rng, 0.5):
        plant.private(block, 0x12, "LT", freetext.private_note(who, rng))
    block.add_new(0x13, "LO", _pick(rng, EPONYMS))
    block.add_new(0x14, "DS", f"{rng.uniform(0.5, 5):.2f}")


def character_set(ds: Dataset, rng: np.random.Generator) -> None:
    """ISO_IR 192 (UTF-8) or ISO_IR 100 (Latin-1) when the text needs it; ASCII files
    sometimes name one anyway, as many scanners do."""
    text = "".join(str(e.value) for e in ds.iterall() if e.VR in TEXT_VRS and e.value is not None)
    if text.isascii():
        choice = _pick(rng, ("", "", "ISO_IR 100", "ISO_IR 192"))
    else:
        try:
            text.encode("latin-1")
            choice = _pick(rng, ("ISO_IR 100", "ISO_IR 192"))
        except UnicodeEncodeError:
            choice = "ISO_IR 192"
    if choice:
        ds.SpecificCharacterSet = choice


def build_header(kind: Kind, who: Identity, seed: int, index: int, manufacturer: str, model: str,
                 rng: np.random.Generator) -> tuple[FileDataset, list[dict]]:
    """A data set with file meta and every non-pixel element, and its tag truth rows."""
    uids = {role: make_uid(seed, index, role) for role in ("study", "series", "instance", "frame")}
    ds = FileDataset("", Dataset(), file_meta=file_meta(kind, uids["instance"]), preamble=b"\0" * 128)
    plant = Planter()
    plant.rows.append({"source": "tag", "tag_path": tag_text(0x00020003), "keyword": "MediaStorageSOPInstanceUID",
                       "phi_type": "UID", "text": uids["instance"], "start": 0, "end": len(uids["instance"]),
                       "required": False})
    ds.SOPClassUID = kind.sop_class
    plant.put(ds, "SOPInstanceUID", uids["instance"], "UID", required=False)
    _patient(ds, plant, who, rng)
    _study(ds, plant, who, kind, uids, rng)
    _series(ds, plant, who, kind, uids, rng)
    _equipment(ds, plant, who, manufacturer, model, rng)
    _image(ds, plant, who, rng)
    if _chance(rng, 0.5):
        _private(ds, plant, who, rng)
    character_set(ds, rng)
    return ds, plant.rows
