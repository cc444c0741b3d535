"""Real files first: the pseudo-PHI samples (planted PHI) and every file that pydicom,
pydicom-data and deid-data ship."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from conftest import SAMPLES, rows, shipped_files, value_text

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # pydicom on odd test files

# (file, keyword, value, phi_type): identifying values planted in the samples' headers.
SAMPLE_PHI = [
    (name, keyword, value, phi_type)
    for name in ("0_ORIGINAL_compressed.dcm", "0_ORIGINAL_no_pixels.dcm")
    for keyword, value, phi_type in [
        ("PatientName", "DAVIDSON^DOUGLAS", "NAME"),
        ("PatientID", "292821506", "ID"),
        ("PatientBirthDate", "19760616", "DATE"),
        ("AccessionNumber", "20130714E864535", "ID"),
        ("InstitutionName", "Scott Community Hospital", "INSTITUTION"),
        ("InstitutionAddress", "334 Michael Manor Sarahview, PA 56560", "ADDRESS"),
        ("ReferringPhysicianName", "HUGHES^KATHLEEN", "NAME"),
        ("ReferringPhysicianAddress", "0544 Green Inlet Jeffreyland, HI 66060", "ADDRESS"),
        ("PerformingPhysicianName", "BROWN^PETER", "NAME"),
    ]
] + [
    ("2_ORIGINAL.dcm", "PatientName", "KAUFMAN^SCOTT", "NAME"),
    ("2_ORIGINAL.dcm", "PatientID", "6774825273", "ID"),
    ("2_ORIGINAL.dcm", "PatientBirthDate", "19430722", "DATE"),
    ("2_ORIGINAL.dcm", "AccessionNumber", "20130912E801911", "ID"),
    ("2_ORIGINAL.dcm", "InstitutionName", "Francis, Todd and Boyer Medical Center", "INSTITUTION"),
    ("2_ORIGINAL.dcm", "InstitutionAddress", "PSC 7523, Box 0695 APO AA 03954", "ADDRESS"),
    ("2_ORIGINAL.dcm", "ReferringPhysicianName", "BAILEY^THERESA", "NAME"),
    ("2_ORIGINAL.dcm", "ReferringPhysicianTelephoneNumbers", "209-319-8430x161", "PHONE"),
    ("2_ORIGINAL.dcm", "PerformingPhysicianName", "SMITH^MARY", "NAME"),
    ("RGB_ORIGINAL.dcm", "PatientName", "RODGERS^SAMUEL", "NAME"),
    ("RGB_ORIGINAL.dcm", "PatientID", "7255997752", "ID"),
    ("RGB_ORIGINAL.dcm", "PatientBirthDate", "19041128", "DATE"),
    ("RGB_ORIGINAL.dcm", "AccessionNumber", "19620110E237653", "ID"),
    ("RGB_ORIGINAL.dcm", "InstitutionName", "Atkinson, Wells and Young Community Hospital", "INSTITUTION"),
    ("RGB_ORIGINAL.dcm", "InstitutionAddress", "0763 Johnson Track Suite 435 Melaniehaven, NC 36268", "ADDRESS"),
    ("RGB_ORIGINAL.dcm", "ReferringPhysicianName", "COLON^KAITLYN", "NAME"),
    ("RGB_ORIGINAL.dcm", "ReferringPhysicianTelephoneNumbers", "412-438-8675", "PHONE"),
    ("RGB_ORIGINAL.dcm", "PerformingPhysicianName", "ORTIZ^BRIAN", "NAME"),
    ("RGB_ORIGINAL.dcm", "OperatorsName", "EVERETT^MICHELE", "NAME"),
]

# Elements that describe the equipment, the procedure or the image, never a person.
TECHNICAL = {
    "SpecificCharacterSet", "ImageType", "Modality", "ConversionType", "Manufacturer", "ManufacturerModelName",
    "StudyDescription", "SeriesDescription", "CodeValue", "CodingSchemeDesignator", "CodeMeaning",
    "BodyPartExamined", "PatientAge", "PatientWeight", "PatientSex", "PatientPosition", "ProtocolName",
    "SecondaryCaptureDeviceManufacturer", "SecondaryCaptureDeviceManufacturerModelName",
    "SecondaryCaptureDeviceSoftwareVersions", "SoftwareVersions", "ClinicalTrialTimePointDescription",
    "PhotometricInterpretation", "LongitudinalTemporalInformationModified", "OverlayDescription", "OverlayType",
    "SeriesNumber", "AcquisitionNumber", "InstanceNumber", "PatientOrientation", "ScanOptions",
    "ConvolutionKernel", "FilterType", "RequestedProcedureDescription", "ScheduledProcedureStepDescription",
    "DerivationDescription", "AcquisitionDeviceProcessingDescription", "AcquisitionDeviceProcessingCode",
    "DetectorDescription", "ImageDisplayFormat", "FilmOrientation", "RescaleType", "SliceThickness", "KVP",
    "PixelSpacing", "WindowCenter", "WindowWidth",
}


@pytest.mark.parametrize(("name", "keyword", "value", "phi_type"), SAMPLE_PHI)
def test_sample_phi_is_found(sample_result, name, keyword, value, phi_type):
    """Every planted identifier is one whole-value finding that reaches the sweep threshold."""
    found = rows(sample_result, file=name, keyword=keyword)
    assert len(found) == 1, f"{name} {keyword}={value!r}: {found[['text', 'rule']].values.tolist()}"
    row = found.iloc[0]
    assert (row.text, row.start, row.end, row.phi_type) == (value, 0, len(value), phi_type)
    assert row.confidence >= 0.5
    assert row.tag_path.count("(") == 1 and row.source == "tag"


@pytest.mark.parametrize(("name", "text", "start"), [
    ("0_ORIGINAL_compressed.dcm", "Douglas Davidson", 25),
    ("0_ORIGINAL_no_pixels.dcm", "Douglas Davidson", 25),
    ("2_ORIGINAL.dcm", "Scott Kaufman", 25),
])
def test_name_inside_study_description_is_exact_span(sample_result, name, text, start):
    """'XR CHEST AP PORTABLE for Douglas Davidson': one NAME finding on the name alone."""
    found = rows(sample_result, file=name, tag_path="(0008,1030)")
    assert found[["text", "start", "end", "phi_type"]].values.tolist() == [[text, start, start + len(text), "NAME"]]
    value = pydicom.dcmread(SAMPLES / name, stop_before_pixels=True).StudyDescription
    assert value == f"XR CHEST AP PORTABLE for {text}"
    assert value[start:start + len(text)] == text


@pytest.mark.parametrize("name", ["RGB_ORIGINAL.dcm", "2_ORIGINAL.dcm", "0_ORIGINAL_no_pixels.dcm"])
def test_no_finding_on_technical_elements(sample_result, name):
    """Modality, manufacturer, body part, code meanings, age 057Y, weight...: never PHI."""
    technical = TECHNICAL if name == "RGB_ORIGINAL.dcm" else TECHNICAL - {"StudyDescription"}  # planted name
    ds = pydicom.dcmread(SAMPLES / name, stop_before_pixels=True)
    present = {e.keyword for e in ds.iterall() if e.keyword in technical and str(e.value).strip()}
    assert {"Modality", "Manufacturer", "BodyPartExamined", "ImageType", "CodeMeaning"} <= present
    flagged = rows(sample_result, file=name)
    flagged = flagged[flagged.keyword.isin(technical)]
    assert flagged.empty, flagged[["tag_path", "keyword", "text", "rule"]].values.tolist()


def test_rgb_original_study_description_and_code_meaning_are_clean(sample_result):
    """The RGB sample's 'PET-CT STUDY' and 'BREAST RECURRENCE' (in two sequences) give nothing."""
    ds = pydicom.dcmread(SAMPLES / "RGB_ORIGINAL.dcm", stop_before_pixels=True)
    assert ds.StudyDescription == "PET-CT STUDY" and ds.PatientAge == "057Y"
    assert ds.ProcedureCodeSequence[0].CodeMeaning == "BREAST RECURRENCE"
    found = rows(sample_result, file="RGB_ORIGINAL.dcm")
    paths = set(found.tag_path)
    for path in ("(0008,1030)", "(0008,1032)[0].(0008,0104)", "(0032,1064)[0].(0008,0104)",
                 "(0010,1010)", "(0010,1030)", "(0008,0060)", "(0018,0015)"):
        assert path not in paths
    assert "(0010,0010)" in paths  # the file was scanned


def test_sample_folder_non_dicom_files_are_errors(sample_result):
    """README.md and ground_truth.json sit beside the samples: error rows, not findings."""
    assert set(sample_result.errors.file) == {"README.md", "ground_truth.json"}
    assert set(sample_result.file) == set(
        ["0_ORIGINAL_compressed.dcm", "0_ORIGINAL_no_pixels.dcm", "2_ORIGINAL.dcm", "RGB_ORIGINAL.dcm"])
    assert sample_result.files_scanned == 6


# ---- every file the packages ship -------------------------------------------------

NOT_DICOM_SUFFIXES = {".py", ".pyc", ".json", ".txt", ".md", ".zip", ".gz", ".icc", ".dump"}
KNOWN_BROKEN = {
    "pydicom": ["test_files/no_meta.dcm",           # a stray byte before the data set
                "test_files/rtplan_truncated.dcm"],  # rtplan.dcm cut inside its header
}
DEID_PHI = [
    ("animals/cat.dcm", "PatientName", "Wetzel, James^Chase"),
    ("animals/cat.dcm", "OperatorsName", "Rayburn^Kristine"),
    ("animals/cat.dcm", "InstitutionName", "Bartels Busack Pet Hospital"),
    ("dicom-cookies/image1.dcm", "PatientName", "nameless waterfall"),
    ("dicom-cookies/image1.dcm", "ReferringPhysicianName", "Dr. dry breeze"),
    ("humans/ctbrain1.dcm", "PatientName", "SIMPSON^HOMER^J^"),
    ("humans/ctbrain1.dcm", "PatientID", "00007041776"),
    ("humans/ctbrain1.dcm", "OtherPatientIDs", "M1212121"),
    ("humans/ctbrain1.dcm", "PatientBirthDate", "20200704"),
    ("humans/ctbrain1.dcm", "AccessionNumber", "999887722"),
    ("humans/ctbrain1.dcm", "InstitutionName", "SGH SPRINGFIELD GENERAL HOSPITAL"),
    ("humans/ctbrain1.dcm", "ReferringPhysicianName", "HIBBARD^JULIUS^^^"),
    ("ultrasounds/GREYSCALE_IMAGE.dcm", "PatientName", "ZZZ TEST PATIENTFIVE^NEW^P^"),
    ("ultrasounds/GREYSCALE_IMAGE.dcm", "PatientBirthDate", "19510829"),
    ("ultrasounds/RGB_IMAGE.dcm", "PatientName", "ZZZDOWNTIME^MARY^^"),
    ("ultrasounds/RGB_IMAGE.dcm", "PatientID", "40404040404"),
    ("ultrasounds/ultrasound-multiframe.dcm", "ReferringPhysicianName", "Ref^Phy^^^"),
]


@pytest.mark.packages
@pytest.mark.parametrize("package", ["pydicom", "data_store", "deid_data"])
def test_every_shipped_file_is_scanned(package_results, package):
    """No exception; every file counted; each error row names a shipped file and a problem."""
    root, result = package_results[package]
    shipped = shipped_files(root)
    assert len(shipped) > 10
    assert result.files_scanned == len(shipped)
    assert set(result.errors.file) <= set(shipped)
    assert all(len(e.strip()) > 5 for e in result.errors.error)
    assert set(result.file) <= set(shipped)


@pytest.mark.packages
@pytest.mark.parametrize("package", ["pydicom", "data_store", "deid_data"])
def test_non_dicom_and_broken_files_are_error_rows(package_results, package):
    """README, .py, .json, .zip... and the known broken DICOMs appear in result.errors."""
    root, result = package_results[package]
    expected = {f for f in shipped_files(root)
                if Path(f).suffix.lower() in NOT_DICOM_SUFFIXES or Path(f).name == "README"}
    expected |= set(KNOWN_BROKEN.get(package, []))
    missing = expected - set(result.errors.file)
    assert not missing, f"not reported as errors: {sorted(missing)}"
    assert not expected & set(result.file)


@pytest.mark.packages
@pytest.mark.parametrize("package", ["pydicom", "data_store", "deid_data"])
def test_readable_files_are_not_skipped(package_results, package):
    """Every file pydicom reads with a SOPInstanceUID gets (at least) that UID as a finding
    (files known to be cut short are errors instead: see KNOWN_BROKEN)."""
    root, result = package_results[package]
    with_uid = []
    for rel in shipped_files(root):
        if rel in KNOWN_BROKEN.get(package, []):
            continue
        try:
            ds = pydicom.dcmread(root / rel, stop_before_pixels=True)
        except Exception:
            continue
        if ds.get("SOPInstanceUID"):
            with_uid.append(rel)
    assert len(with_uid) >= 10
    uid_rows = result[result.tag_path == "(0008,0018)"]
    assert sorted(set(with_uid) - set(uid_rows.file)) == []


@pytest.mark.packages
@pytest.mark.parametrize("package", ["pydicom", "data_store", "deid_data"])
def test_text_is_the_element_value_slice(package_results, package):
    """For every tag finding of every shipped file: text == value[start:end], with the
    value decoded by pydicom itself (character sets included), and no span splits a word."""
    root, result = package_results[package]
    wrong = []
    for name, found in result.groupby("file"):
        ds = pydicom.dcmread(root / name, stop_before_pixels=True, force=True)
        for row in found[~found.vr.isin(["UN", "OB", "OW"])].itertuples():
            value = value_text(ds, row.tag_path)
            edges = value[max(row.start - 1, 0):row.start + 1] + value[row.end - 1:row.end + 1]
            if value[row.start:row.end] != row.text or (len(edges) == 4 and edges.isascii() and (
                    edges[:2].isalpha() or edges[2:].isalpha())):
                wrong.append(f"{name} {row.tag_path} {row.text!r} [{row.start}:{row.end}] of {value[:80]!r}")
    assert not wrong, "\n".join(wrong[:10])


@pytest.mark.packages
@pytest.mark.parametrize(("name", "keyword", "value"), DEID_PHI)
def test_deid_data_header_phi_is_found(package_results, name, keyword, value):
    """deid-data files with known header PHI: a whole-value finding at the sweep threshold."""
    _, result = package_results["deid_data"]
    found = rows(result, file=name, keyword=keyword)
    found = found[~found.tag_path.str.contains("[", regex=False)]  # top level only
    assert found.text.tolist() == [value]
    assert found.iloc[0].confidence >= 0.5 and found.iloc[0].start == 0


@pytest.mark.packages
def test_deid_private_person_name_keeps_its_creator(package_results):
    """A private PN in a real ultrasound: keyword '', private_creator filled."""
    _, result = package_results["deid_data"]
    found = rows(result, file="ultrasounds/RGB_IMAGE.dcm", tag_path="(0033,1013)")
    assert found[["keyword", "vr", "phi_type", "text", "private_creator"]].values.tolist() == [
        ["", "PN", "NAME", "ZZZDOWNTIME^MARY^^", "MITRA OBJECT UTF8 ATTRIBUTES 1.0"]]


@pytest.mark.packages
@pytest.mark.parametrize("keyword", ["Modality", "BodyPartExamined", "ImageType", "FrameType",
                                     "CodingSchemeDesignator", "ValueType", "SoftwareVersions",
                                     "Manufacturer", "ManufacturerModelName"])
def test_technical_elements_never_flagged_in_packaged_files(package_results, keyword):
    """Coded and equipment elements of ~250 real files give no finding."""
    flagged = []
    for package, (_, result) in package_results.items():
        hit = result[result.keyword == keyword]
        flagged += [f"{package}/{r.file} {r.tag_path}={r.text!r} ({r.rule})" for r in hit.itertuples()]
    assert not flagged, "\n".join(flagged[:10])
