"""The small pieces of redaction: policy actions and codes, keyed UIDs and date shifts,
span removal, tag paths, output names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from phidetect.geometry import ALL_FRAMES, FrameBox
from phidetect.planes import Plane
from phidetect.redact.boxes import boxes_for, check_boxes, top_rows
from phidetect.redact.dates import patient_key, shift_days, shift_value
from phidetect.redact.keys import run_secret
from phidetect.redact.policy import CODES, Policy
from phidetect.redact.resolve import element, last_tag, parse, remove
from phidetect.redact.text_clean import remove_spans
from phidetect.redact.uids import UidMapper
from phidetect.redact.writer import hashed_parts, output_path, relative_parts, sanitise_part

STUDY_DATE, PATIENT_AGE, STUDY_DESCRIPTION = 0x00080020, 0x00101010, 0x00081030
DEVICE_SERIAL, SOP_INSTANCE_UID, INSTITUTION, PATIENT_ID = 0x00181000, 0x00080018, 0x00080080, 0x00100020


def test_basic_profile_actions_and_choices():
    basic = Policy.preset("basic")
    assert basic.action_for(0x00100010) == "Z"          # PatientName
    assert basic.action_for(STUDY_DESCRIPTION) == "X"   # descriptor without Clean Descriptors
    assert basic.action_for(SOP_INSTANCE_UID) == "U"
    assert basic.action_for(INSTITUTION) == "Z"         # X/Z/D: kept present, emptied
    assert basic.action_for(0x00080021) == "X"          # SeriesDate X/D
    assert basic.action_for(PATIENT_ID) == "Z"          # Z/D
    assert basic.action_for(0x00080060) is None         # Modality: not in E.1-1


def test_options_change_the_actions():
    research = Policy.preset("research")
    assert research.action_for(STUDY_DATE) == "C"       # shifted
    assert research.action_for(STUDY_DESCRIPTION) == "C"
    assert research.action_for(PATIENT_AGE) == "K"
    assert research.action_for(DEVICE_SERIAL) == "K"
    assert Policy(dates="keep").action_for(STUDY_DATE) == "K"
    assert Policy(retain_uids=True).action_for(SOP_INSTANCE_UID) == "K"
    assert research.option_keeps(DEVICE_SERIAL) and not research.option_keeps(0x00100010)


def test_codes_follow_the_options_and_read_back():
    research = Policy.preset("research")
    codes = [code for code, _ in research.codes(pixels_cleaned=True)]
    assert codes == ["113100", "113101", "113105", "113107", "113108", "113109"]
    assert "113101" not in [c for c, _ in research.codes(pixels_cleaned=False)]
    safe = Policy(private="safe", dates="keep", retain_uids=True, retain_institution_identity=True)
    back = Policy.from_codes([c for c, _ in safe.codes(pixels_cleaned=True)])
    assert (back.private, back.dates, back.retain_uids, back.retain_institution_identity) == ("safe", "keep", True, True)
    assert CODES["private_safe"] == ("113111", "Retain Safe Private Option")
    clean = Policy(private="clean")  # not the standard's option: named by DeidentificationMethod only
    assert "113111" not in [c for c, _ in clean.codes(pixels_cleaned=True)]
    assert Policy.from_codes([c for c, _ in clean.codes(pixels_cleaned=True)], clean.describe()).private == "clean"


def test_unknown_preset_and_bad_modes():
    with pytest.raises(ValueError):
        Policy.preset("nope")
    with pytest.raises(ValueError):
        Policy(dates="blur")


def test_uid_mapping_is_keyed_consistent_and_valid():
    one, same, other = UidMapper(b"a"), UidMapper(b"a"), UidMapper(b"b")
    uid = "1.2.826.0.1.3680043.2.1125.1.123"
    mapped = one.map(uid)
    assert mapped == same.map(uid) != other.map(uid)
    assert mapped.startswith("2.25.") and len(mapped) <= 64 and mapped != uid
    assert one.map("1.2.840.10008.5.1.4.1.1.2") == "1.2.840.10008.5.1.4.1.1.2"  # a SOP class stays
    assert one.map("") == ""


def test_secret_is_random_unless_given():
    assert run_secret(None) != run_secret(None)
    assert run_secret("x") == b"x"
    with pytest.raises(ValueError):
        run_secret(b"")


def test_date_shift_per_patient():
    ds = Dataset()
    ds.PatientID = "12345"
    days = shift_days(b"s", patient_key(ds))
    assert days == shift_days(b"s", patient_key(ds)) and -3650 <= days <= -1
    assert shift_value("DA", "20000301", -1) == "20000229"
    assert shift_value("DT", "20000301120000.5+0100", -1) == "20000229120000.5+0100"
    assert shift_value("TM", "120000", -5) == "120000"
    assert shift_value("DA", "2000", -1) is None
    assert shift_value("DA", "20000301-20000310", -1) == "20000229-20000309"


def test_remove_spans_keeps_the_rest():
    assert remove_spans("CT HEAD for Douglas Davidson", [(12, 28)]) == "CT HEAD for"
    assert remove_spans("CT HEAD  (no PHI)", []) == "CT HEAD  (no PHI)"
    assert remove_spans("a\\DOE^JOHN\\b", [(2, 10)]) == "a\\\\b"  # value count kept
    assert remove_spans("Dr. Xu, 555-1234 called", [(0, 6), (8, 16)]) == "called"


def test_tag_paths_resolve():
    ds = Dataset()
    item = Dataset()
    item.RequestedProcedureDescription = "x"
    ds.RequestAttributesSequence = Sequence([item])
    assert parse("(0040,0275)[0].(0032,1060)") == [(0x00400275, 0), (0x00321060, None)]
    assert last_tag("(0040,0275)[0].(0032,1060)") == 0x00321060
    assert element(ds, "(0040,0275)[0].(0032,1060)").value == "x"
    assert element(ds, "(0040,0275)[3].(0032,1060)") is None
    assert remove(ds, "(0040,0275)[0].(0032,1060)") and "RequestedProcedureDescription" not in item
    with pytest.raises(ValueError):
        parse("0010,0010")


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", ["etc", "passwd"]),
    ("a/./b//c.dcm", ["a", "b", "c.dcm"]),
    (".hidden/x", ["_hidden", "x"]),
    ("CON/aux.dcm", ["_CON", "_aux.dcm"]),
    ("na me;rm -rf$/x\x00y.dcm", ["na_me_rm_-rf_", "xy.dcm"]),
    ("..", ["_"]),
])
def test_names_are_sanitised(name, expected):
    assert relative_parts(name) == expected


def test_output_paths_stay_inside_and_never_collide(tmp_path):
    used: set[str] = set()
    first = output_path(tmp_path, ["a", "x.dcm"], used)
    second = output_path(tmp_path, ["A", "X.dcm"], used)
    assert first == tmp_path / "a" / "x.dcm" and second == tmp_path / "A" / "X_2.dcm"
    assert len(sanitise_part("é" * 300).encode()) <= 200
    hashed = hashed_parts(["DOE_JOHN", "scan.dcm"], b"k")
    assert hashed[-1].endswith(".dcm") and "DOE" not in "".join(hashed)


def test_boxes_for_a_file_and_everywhere():
    import pandas as pd

    table = pd.concat([top_rows(30), pd.DataFrame([
        {"file": "a.dcm", "source": "pixel", "frame": 2, "x": 1, "y": 2, "width": 3, "height": 4, "plane": "image"},
        {"file": "a.dcm", "source": "tag", "frame": -1, "x": -1, "y": -1, "width": -1, "height": -1, "plane": ""},
        {"file": "b.dcm", "source": "pixel", "frame": 0, "x": 1, "y": 2, "width": 3, "height": 4, "plane": "image"},
    ])], ignore_index=True)
    found = boxes_for(table, "a.dcm")
    assert found == [FrameBox(ALL_FRAMES, 0, 0, 0, 30, Plane.IMAGE), FrameBox(2, 1, 2, 3, 4, Plane.IMAGE)]
    assert FrameBox(ALL_FRAMES, 0, 0, 0, 30).bounds(100, 200, 2) == (0, 32, 0, 200)
    assert FrameBox(0, 190, 95, 50, 50).bounds(100, 200, 0) == (95, 100, 190, 200)
    assert FrameBox(0, 500, 500, 5, 5).bounds(100, 200, 0) is None


def test_boxes_tables_keep_their_text_forms():
    import pandas as pd

    from phidetect.redact.pixels import overlay_groups

    table = pd.DataFrame([
        {"file": "*", "frame": -1, "x": 0, "y": 0, "width": 5, "height": 5, "plane": "overlay:600A"},
        {"file": "*", "frame": 1, "x": 0, "y": 0, "width": 5, "height": 5, "plane": None},
    ])
    found = boxes_for(table, "a.dcm")
    assert found == [FrameBox(ALL_FRAMES, 0, 0, 5, 5, Plane.OVERLAY_600A), FrameBox(1, 0, 0, 5, 5, Plane.IMAGE)]
    assert [box.table_frame for box in found] == [-1, 1]
    assert overlay_groups(found) == {0x600A}
    with pytest.raises(ValueError, match="unknown plane"):
        check_boxes(table.assign(plane="overlay:6001"))


def test_relative_parts_of_windows_names():
    assert relative_parts("dir\\sub\\f.dcm") == ["dir", "sub", "f.dcm"]
    assert Path(*relative_parts("/abs/f.dcm")) == Path("abs/f.dcm")
