"""Registry.analyze_ocr, the one entry point for an OCR line: the spans every OCR line
of the existing tests gave through burned_in.line_spans before the OCR rules became
registry members (fixed here, so a change of behaviour shows), and what users do with it:
switch a rule off in the pixels, add an OCR-only rule, keep the per-file index once."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from phidetect.dicom.identity import _pn_parts
from phidetect.text.crossref import Identity, PersonName
from phidetect.text.ocr_identity import OcrIdentityIndex
from phidetect.text.recognizer import PatternRecognizer, Registry, Suppressor
from phidetect.text.registry import default_registry
from phidetect.text.spans import join_rules

REGISTRY = default_registry()
#: The header identities the OCR tests use (test_burned_in, test_rules_ocr_text, test_burned_in_unsafe).
IDENTITIES = {
    "none": None,
    "nakamura": Identity(names=[PersonName.from_parts(["NAKAMURA", "HIROSHI"], "crossref.patient_name")],
                         ids={"8812345": "crossref.patient_id"}, birth_dates={date(1949, 11, 2)}),
    "okafor": Identity(
        names=[PersonName.from_parts(_pn_parts("OKAFOR^CHIDINMA^A")[0], "crossref.patient_name"),
               PersonName.from_parts(_pn_parts("ZZZ TEST PATIENTFIVE^NEW^P^")[0], "crossref.person_name")],
        ids={"5550193847": "crossref.patient_id", "A77812": "crossref.accession_number"},
        birth_dates={date(1958, 2, 3)}, institutions=["Lakeside Regional Medical Center"]),
    "oyelaran": Identity(names=[PersonName.from_parts(["OYELARAN", "TEMITOPE"], "crossref.patient_name")]),
    "quellenhof": Identity(institutions=["St. Quellenhof Krankenhaus"]),
    "davidson": Identity(names=[PersonName.from_parts(["DAVIDSON", "DOUGLAS"], "crossref.patient_name")],
                         birth_dates={date(2012, 9, 1)}),
}

#: (line as OCR read it, the file's identity, expected spans as (text, start, phi_type, score,
#: rule column)). Each line is listed without an identity and with every identity that changes it.
CASES = [
    ('(linique Rossi', 'none', (('(linique Rossi', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('00079241539', 'none', (('00079241539', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('01/09/2012 SMITH BOB', 'none', (('01/09/2012', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('02.11.1949', 'none', (('02.11.1949', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('03/02/2017', 'none', (('03/02/2017', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('11/02/1949', 'none', (('11/02/1949', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('11/02/1949', 'nakamura', (('11/02/1949', 0, 'DATE', 0.97, 'crossref.birth_date+pattern.date'),)),
    ('12.03.1950', 'none', (('12.03.1950', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('14 Mar 2019', 'none', (('14 Mar 2019', 0, 'DATE', 0.85, 'pattern.date+ocr.month_date'),)),
    ('14-MAR-1961', 'none', (('14-MAR-1961', 0, 'DATE', 0.85, 'pattern.date+ocr.month_date'),)),
    ('18 August 2818', 'none', (('18 August 2818', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('16-Cct-2008', 'none', (('16-Cct-2008', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('Exam; 10.51.2116-Cct-2008', 'none', (('10.51.2116-Cct-2008', 6, 'DATE', 0.7, 'ocr.month_date'),)),
    ('12 Dee 1999', 'none', (('12 Dee 1999', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('lugust 7,1995', 'none', (('lugust 7,1995', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('12 ovember 2019', 'none', (('12 ovember 2019', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('ugly 7, 1995', 'none', ()),
    ('search 7, 2012', 'none', ()),
    ('Laugust 7, 1995', 'none', ()),
    ('3 mAs 1200', 'none', ()),
    ('"Date: 10:37.59 10/27/13', 'none', (('10:37.59 10/27/13', 7, 'DATE', 0.85, 'pattern.date'),)),
    ('2010-02.13 15.50', 'none', (('2010-02.13 15.50', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('1.5-2.0 mm 12.5/20', 'none', ()),
    ('5 Ser 2008', 'none', ()),
    ('1958-02-03', 'none', (('1958-02-03', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('1958-02-03', 'okafor', (('1958-02-03', 0, 'DATE', 0.97, 'crossref.birth_date+pattern.date'),)),
    ('1990-09-21', 'none', (('1990-09-21', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('2019-04-12', 'none', (('2019-04-12', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('20231107559921', 'none', (('20231107559921', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('3-FEB-1958', 'none', (('3-FEB-1958', 0, 'DATE', 0.85, 'pattern.date+ocr.month_date'),)),
    ('3-FEB-1958', 'okafor', (('3-FEB-1958', 0, 'DATE', 0.97, 'crossref.birth_date+pattern.date+ocr.month_date'),)),
    ('3rd Dec 2019', 'none', (('3rd Dec 2019', 0, 'DATE', 0.85, 'pattern.date+ocr.month_date'),)),
    ('4417 2290 18', 'none', (('4417 2290 18', 0, 'PHONE', 0.85, 'pattern.phone+ocr.long_number'),)),
    ('5/8/05', 'none', (('5/8/05', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('555-019-3847', 'none', (('555-019-3847', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('555-019-3847', 'okafor', (('555-019-3847', 0, 'ID', 0.95, 'crossref.patient_id+ocr.long_number'),)),
    ('5550193847', 'none', (('5550193847', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('5550193847', 'okafor', (('5550193847', 0, 'ID', 0.95, 'crossref.patient_id+ocr.long_number'),)),
    ('555O19384Z', 'none', (('555O19384Z', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('555O19384Z', 'okafor', (('555O19384Z', 0, 'ID', 0.85, 'crossref.patient_id+ocr.long_number'),)),
    ('8/18/95', 'none', (('8/18/95', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('8812345', 'none', (('8812345', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('8812345', 'nakamura', (('8812345', 0, 'ID', 0.95, 'crossref.patient_id+ocr.long_number'),)),
    ('88O1234', 'none', (('88O1234', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('88l2345', 'none', (('88l2345', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('88l2345', 'nakamura', (('88l2345', 0, 'ID', 0.95, 'crossref.patient_id+ocr.long_number'),)),
    ('A77812', 'none', ()),
    ('A77812', 'okafor', (('A77812', 0, 'ID', 0.95, 'crossref.accession_number'),)),
    ('ACC A77812', 'none', (('A77812', 4, 'ID', 0.8, 'pattern.record_id'),)),
    ('ACC A77812', 'okafor', (('A77812', 4, 'ID', 0.95, 'crossref.accession_number+pattern.record_id'),)),
    ('Acc 20231107559921', 'none', (('20231107559921', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number+pattern.long_number'),)),
    ('August 18, 2818', 'none', (('August 18, 2818', 0, 'DATE', 0.7, 'ocr.month_date'),)),
    ('Born 5/8/05', 'none', (('5/8/05', 5, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('C5217676', 'none', (('C5217676', 0, 'ID', 0.75, 'ocr.long_number'),)),
    ('CHU de Lyon-Sud', 'none', (('CHU de Lyon-Sud', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('CHUde Lyon-Sud', 'none', (('CHUde Lyon-Sud', 0, 'INSTITUTION', 0.75, 'pattern.institution+pattern.person_context'),)),
    ('Chidinma Okafor', 'none', (('Chidinma Okafor', 0, 'NAME', 0.6, 'pattern.person_context'),)),
    ('Chidinma Okafor', 'okafor', (('Chidinma Okafor', 0, 'NAME', 0.95, 'crossref.patient_name+pattern.person_context'),)),
    ('Clinique Rossi', 'none', (('Clinique Rossi', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('D.O.B.: 1990-09-21', 'none', (('1990-09-21', 8, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('DAVIDSON DOUGLAS [M] 01.09.2012', 'none', (('01.09.2012', 21, 'DATE', 0.85, 'pattern.date'),)),
    ('DAVIDSON DOUGLAS [M] 01.09.2012', 'davidson', (('DAVIDSON DOUGLAS', 0, 'NAME', 0.95, 'crossref.patient_name'), ('[M]', 17, 'OTHER', 0.6, 'ocr.demographics'), ('01.09.2012', 21, 'DATE', 0.85, 'pattern.date'))),
    ('DOB 02.11.1949', 'none', (('02.11.1949', 4, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('DOB 02/03/1958', 'none', (('02/03/1958', 4, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('DOB 02/03/1958', 'okafor', (('02/03/1958', 4, 'DATE', 0.97, 'crossref.birth_date+pattern.date+ocr.labelled_birth_date'),)),
    ('DOB 22-Oct-196', 'none', (('22-Oct-196', 4, 'DATE', 0.8, 'ocr.labelled_birth_date'),)),
    ('DOB 8/18/95  MRN: 123', 'none', (('8/18/95', 4, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('DOB O2.O3.l958', 'none', (('O2.O3.l958', 4, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('DOB O2.O3.l958', 'okafor', (('O2.O3.l958', 4, 'DATE', 0.97, 'crossref.birth_date+pattern.date+ocr.labelled_birth_date'),)),
    ('DOB: 04-Apr- 2 01', 'none', (('04-Apr- 2 01', 5, 'DATE', 0.8, 'ocr.labelled_birth_date'),)),
    ('Date: 14 Mar 2019', 'none', (('14 Mar 2019', 6, 'DATE', 0.85, 'pattern.date+ocr.labelled_date+ocr.month_date'),)),
    ('Exam August 18, 2818', 'none', (('August 18, 2818', 5, 'DATE', 0.7, 'ocr.month_date'),)),
    ('Exam: 01.02.2016', 'none', (('01.02.2016', 6, 'DATE', 0.85, 'pattern.date+ocr.labelled_date'),)),
    ('Exam: 03/16/2818', 'none', (('03/16/2818', 6, 'DATE', 0.7, 'ocr.labelled_date'),)),
    ('Exan: December 21 , 2015', 'none', (('December 21 , 2015', 6, 'DATE', 0.85, 'pattern.date'),)),
    ('Exan: December 21,  2015', 'none', (('December 21,  2015', 6, 'DATE', 0.85, 'pattern.date+ocr.month_date'),)),
    ('Geb. 12.03.1950 Sex: M', 'none', (('12.03.1950', 5, 'DATE', 0.85, 'pattern.date+ocr.labelled_birth_date'),)),
    ('HIROSHI', 'none', ()),
    ('HIROSHI', 'nakamura', (('HIROSHI', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('ID 88l2345', 'none', (('88l2345', 3, 'ID', 0.8, 'pattern.record_id+ocr.long_number'),)),
    ('ID 88l2345', 'nakamura', (('88l2345', 3, 'ID', 0.95, 'crossref.patient_id+pattern.record_id+ocr.long_number'),)),
    ('ID: 4417 2290 18', 'none', (('4417 2290 18', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number'),)),
    ('JUAN MANUEL', 'none', (('JUAN MANUEL', 0, 'NAME', 0.55, 'pattern.name'),)),
    ('LAKESIDE REGIONAL MEDI', 'none', ()),
    ('LAKESIDE REGIONAL MEDI', 'okafor', (('LAKESIDE REGIONAL MEDI', 0, 'INSTITUTION', 0.8, 'crossref.institution'),)),
    ('LAKESIDE REGIONAL MEDICAL CENTER', 'none', (('LAKESIDE REGIONAL MEDICAL CENTER', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('LAKESIDE REGIONAL MEDICAL CENTER', 'okafor', (('LAKESIDE REGIONAL MEDICAL CENTER', 0, 'INSTITUTION', 0.9, 'crossref.institution+pattern.institution'),)),
    ('Lakeside Regional Medical Center', 'none', (('Lakeside Regional Medical Center', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('Lakeside Regional Medical Center', 'okafor', (('Lakeside Regional Medical Center', 0, 'INSTITUTION', 0.9, 'crossref.institution+pattern.institution'),)),
    ('M  LAKESIDE REGIONAL MEDI...', 'none', ()),
    ('M  LAKESIDE REGIONAL MEDI...', 'okafor', (('LAKESIDE REGIONAL MEDI', 3, 'INSTITUTION', 0.8, 'crossref.institution'),)),
    ('MIELWARSKA, HELGARD', 'none', (('MIELWARSKA, HELGARD', 0, 'NAME', 0.6, 'ocr.comma_name'),)),
    ('MR  Quellenhcf', 'none', ()),
    ('MR  Quellenhcf', 'quellenhof', (('Quellenhcf', 4, 'INSTITUTION', 0.75, 'crossref.institution_word'),)),
    ('MRN 555-019-3847', 'none', (('555-019-3847', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number'),)),
    ('MRN 555-019-3847', 'okafor', (('555-019-3847', 4, 'ID', 0.95, 'crossref.patient_id+pattern.record_id+ocr.long_number'),)),
    ('MRN 5550193847', 'none', (('5550193847', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number+pattern.long_number'),)),
    ('MRN 5550193847', 'okafor', (('5550193847', 4, 'ID', 0.95, 'crossref.patient_id+pattern.record_id+ocr.long_number+pattern.long_number'),)),
    ('MRN 555O19384Z', 'none', (('555O19384Z', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number+pattern.long_number'),)),
    ('MRN 555O19384Z', 'okafor', (('555O19384Z', 4, 'ID', 0.85, 'crossref.patient_id+pattern.record_id+ocr.long_number+pattern.long_number'),)),
    ('MRN 88O1234', 'none', (('88O1234', 4, 'ID', 0.8, 'pattern.record_id+ocr.long_number'),)),
    ('May 2020 protocol', 'none', (('May 2020', 0, 'DATE', 0.5, 'pattern.date'),)),
    ('NAKAMURA', 'none', ()),
    ('NAKAMURA', 'nakamura', (('NAKAMURA', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('NAKAMURA HIROSHI', 'none', (('NAKAMURA HIROSHI', 0, 'NAME', 0.6, 'pattern.person_context'),)),
    ('NAKAMURA HIROSHI', 'nakamura', (('NAKAMURA HIROSHI', 0, 'NAME', 0.95, 'crossref.patient_name+pattern.person_context'),)),
    ('NAKAMURA HIROSHI 11/02/1949 kVp 120', 'none', (('NAKAMURA HIROSHI', 0, 'NAME', 0.75, 'pattern.person_context'), ('11/02/1949', 17, 'DATE', 0.85, 'pattern.date'))),
    ('NAKAMURA HIROSHI 11/02/1949 kVp 120', 'nakamura', (('NAKAMURA HIROSHI', 0, 'NAME', 0.95, 'crossref.patient_name+pattern.person_context'), ('11/02/1949', 17, 'DATE', 0.97, 'crossref.birth_date+pattern.date'))),
    ('NAKAMURA, HIROSHI', 'none', (('NAKAMURA, HIROSHI', 0, 'NAME', 0.7, 'ocr.comma_name'),)),
    ('NAKAMURA, HIROSHI', 'nakamura', (('NAKAMURA, HIROSHI', 0, 'NAME', 0.95, 'crossref.patient_name+ocr.comma_name'),)),
    ('O1/O9/2O12 SMITH BOB', 'none', (('O1/O9/2O12', 0, 'DATE', 0.85, 'pattern.date'),)),
    ('OKAF0R, CHIDlNMA', 'none', ()),
    ('OKAF0R, CHIDlNMA', 'okafor', (('OKAF0R, CHIDlNMA', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('OKAFOR CHIDIN', 'none', ()),
    ('OKAFOR CHIDIN', 'okafor', (('OKAFOR CHIDIN', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('OKAFOR CHIDINMA', 'none', ()),
    ('OKAFOR CHIDINMA', 'okafor', (('OKAFOR CHIDINMA', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('OKAFORCHIDINMA', 'none', ()),
    ('OKAFORCHIDINMA', 'okafor', (('OKAFORCHIDINMA', 0, 'NAME', 0.9, 'crossref.patient_name'),)),
    ('OKAFOR^CHIDINMA^A', 'none', (('OKAFOR^CHIDINMA^A', 0, 'NAME', 0.85, 'pattern.name'),)),
    ('OKAFOR^CHIDINMA^A', 'okafor', (('OKAFOR^CHIDINMA^A', 0, 'NAME', 0.95, 'crossref.patient_name+pattern.name'),)),
    ('OYELARAN', 'none', ()),
    ('OYELARAN', 'oyelaran', (('OYELARAN', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('OYELARAN TEMITOPE 12/03/1961', 'none', (('12/03/1961', 18, 'DATE', 0.85, 'pattern.date'),)),
    ('OYELARAN TEMITOPE 12/03/1961', 'oyelaran', (('OYELARAN TEMITOPE', 0, 'NAME', 0.95, 'crossref.patient_name'), ('12/03/1961', 18, 'DATE', 0.85, 'pattern.date'))),
    ('PISZCZ^', 'none', (('PISZCZ^', 0, 'NAME', 0.7, 'ocr.caret_name'),)),
    ('TORRES^ JENNIFER ID: 00713924', 'none', (('TORRES^ JENNIFER', 0, 'NAME', 0.7, 'ocr.caret_name'), ('00713924', 21, 'ID', 0.8, 'pattern.record_id+ocr.long_number+pattern.long_number'))),
    ('PT: OKAFOR CHIDIN', 'none', (('OKAFOR CHIDIN', 4, 'NAME', 0.75, 'pattern.person_context+pattern.name'),)),
    ('PT: OKAFOR CHIDIN', 'okafor', (('OKAFOR CHIDIN', 4, 'NAME', 0.95, 'crossref.patient_name+pattern.person_context+pattern.name'),)),
    ('PatIent', 'none', ()),
    ('PatIent', 'okafor', (('PatIent', 0, 'NAME', 0.8, 'crossref.person_name'),)),
    ('Pt: OYELARAN TEMI', 'none', (('OYELARAN', 4, 'NAME', 0.75, 'pattern.person_context'),)),
    ('Pt: OYELARAN TEMI', 'oyelaran', (('OYELARAN', 4, 'NAME', 0.95, 'crossref.patient_name+pattern.person_context'),)),
    ('Quarshie, Abena', 'none', (('Quarshie, Abena', 0, 'NAME', 0.6, 'ocr.comma_name'),)),
    ('Quarshie, Abena  ID: 4055', 'none', (('Quarshie, Abena', 0, 'NAME', 0.6, 'ocr.comma_name'), ('4055', 21, 'ID', 0.8, 'pattern.record_id'))),
    ('Quellenhcf', 'none', ()),
    ('Quellenhcf', 'quellenhof', (('Quellenhcf', 0, 'INSTITUTION', 0.75, 'crossref.institution_word'),)),
    ('REF 95550193847123', 'none', (('95550193847123', 4, 'ID', 0.75, 'ocr.long_number+pattern.long_number'),)),
    ('SHAW; ASHLEY', 'none', (('SHAW; ASHLEY', 0, 'NAME', 0.7, 'ocr.comma_name'),)),
    ('St. Quellenhof Krankenhaus', 'none', (('St. Quellenhof Krankenhaus', 0, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('St. Quellenhof Krankenhaus', 'quellenhof', (('St. Quellenhof Krankenhaus', 0, 'INSTITUTION', 0.9, 'crossref.institution+pattern.institution'),)),
    ('Study Date: 2019-04-12', 'none', (('2019-04-12', 12, 'DATE', 0.85, 'pattern.date+ocr.labelled_date'),)),
    ('Oate: 68/02/2013', 'none', (('68/02/2013', 6, 'DATE', 0.7, 'ocr.labelled_date'),)),
    ('0ate: 08/02/2013', 'none', (('08/02/2013', 6, 'DATE', 0.85, 'pattern.date+ocr.labelled_date'),)),
    ('Oate 68/02/2013', 'none', ()),
    ('TEMITOPE', 'none', ()),
    ('TEMITOPE', 'oyelaran', (('TEMITOPE', 0, 'NAME', 0.95, 'crossref.patient_name'),)),
    ('ZZZ TEST PATIENTFI', 'none', ()),
    ('ZZZ TEST PATIENTFI', 'okafor', (('ZZZ TEST PATIENTFI', 0, 'NAME', 0.95, 'crossref.person_name'),)),
    ('ZZZ TEST PATIENTFI...', 'none', ()),
    ('ZZZ TEST PATIENTFI...', 'okafor', (('ZZZ TEST PATIENTFI', 0, 'NAME', 0.95, 'crossref.person_name'),)),
    ('ZZZ TEST PATIENTFIVE^NEW^P^', 'none', (('PATIENTFIVE^NEW^P^', 9, 'NAME', 0.85, 'pattern.name'),)),
    ('ZZZ TEST PATIENTFIVE^NEW^P^', 'okafor', (('ZZZ TEST PATIENTFIVE^NEW^P^', 0, 'NAME', 0.95, 'crossref.person_name+pattern.name'),)),
    ('ZZZ TEST PATIENTFL', 'none', ()),
    ('ZZZ TEST PATIENTFL', 'okafor', (('ZZZ TEST PATIENTFL', 0, 'NAME', 0.95, 'crossref.person_name'),)),
    ('ZZZ TEST PATIENTFL 00079241539', 'none', (('00079241539', 19, 'ID', 0.75, 'ocr.long_number+pattern.long_number'),)),
    ('ZZZ TEST PATIENTFL 00079241539', 'okafor', (('ZZZ TEST PATIENTFL', 0, 'NAME', 0.95, 'crossref.person_name'), ('00079241539', 19, 'ID', 0.75, 'ocr.long_number+pattern.long_number'))),
    ('^BŁAŻEJ', 'none', (('^BŁAŻEJ', 0, 'NAME', 0.7, 'ocr.caret_name'),)),
    ('crossref.patient_id', 'none', ()),
    ('crossref.patient_id', 'okafor', (('patient', 9, 'NAME', 0.8, 'crossref.person_name'),)),
    ('crossref.patient_name', 'none', ()),
    ('crossref.patient_name', 'okafor', (('patient', 9, 'NAME', 0.8, 'crossref.person_name'),)),
    ('kVp 120 03/02/2017', 'none', (('03/02/2017', 8, 'DATE', 0.85, 'pattern.date'),)),
    ('~(linique Rossi', 'none', (('(linique Rossi', 1, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('~CHUde Lyon-Sud', 'none', (('CHUde Lyon-Sud', 1, 'INSTITUTION', 0.75, 'pattern.institution+pattern.person_context'),)),
    ('~Clinique Rossi', 'none', (('Clinique Rossi', 1, 'INSTITUTION', 0.75, 'pattern.institution'),)),
    ('~Exam: 10.02 2010', 'none', (('10.02 2010', 7, 'DATE', 0.7, 'ocr.labelled_date'),)),
]

#: Lines of those tests where no identity finds anything: settings, vocabulary, look-alikes.
NOTHING = (
    '(CT) HEAD', '03/16/2818', '04-Apr- 2 01', '05:24:57PM', '1.5T', '10.02 2010', '12 March', '12345', '18Hz',
    '18Y M', '22-Oct-196', '36Hz', '5.0mm', '5.0mm 18Hz', 'ABDOMEN [M] 3.5 MHz', 'AXIAL, CONTRAST',
    'Abdomen, Pelvis', 'Acq: 12.5 s', 'Adv Breast', 'Area 3 cm^2', 'C 40', 'CT, MR', 'CTAngio Head',
    'Circle of Willis', 'Crohn disease', 'DOB:', 'DOB: unknown', 'Date: 12/2019', 'Exam: CT HEAD', 'Frame 00123',
    'HEAD, NECK', 'HEAD; NECK', 'Hccu Mke', 'Hccu Mke Oaaes', 'Kirg Memarial', 'Krankenhaus', 'L12-5',
    'L12-5 Adv Breast', 'L:-1000', 'L:40', 'MEDICAL CENTER', 'MI 0.9', 'MI 0.9 TIS 0.4', 'McDonald',
    'Medical Center', 'Morvan Astrid', 'MorvanAstrid', 'Newborn screening', 'Oc', 'PID 1', 'Pat|ent',
    'Philips Healthcare C5-1', 'R', 'REGIONAL', 'Reborn 12 34', 'Regional Medical Center', 'Rt, Lt', 'SIEMENS',
    'SIEMENS 6C1 HD', 'SIEMENS, PHILIPS', 'SL 3.0', 'SMITH', 'SUPINE', 'Scan: 5.0 mm', 'Series 3 Mar',
    'Series 3, Image 12', 'Series: 3', 'TIS 0.1', 'TIS0.0 MI 0.6', 'W:400', 'W:400 L:40', 'W:400 SMITH',
    'W:400 | L:40', 'W:65535', '[M]', '^', 'f(x)', 'kVp 120', 'kVp 120 mAs 250', 'kVp: 120', 'line holds PHI',
    'mm^2', 'nn Krar', 'xMorvanAstrid', 'x^y',
)


def spans_of(text: str, identity: Identity | None, registry: Registry = REGISTRY) -> tuple:
    return tuple((text[s.start:s.end], s.start, s.phi_type, s.score, join_rules(s.rules))
                 for s in registry.analyze_ocr(text, identity))


@pytest.mark.parametrize(("text", "who", "expected"), CASES)
def test_ocr_lines_give_the_spans_they_gave_before(text: str, who: str, expected: tuple) -> None:
    assert spans_of(text, IDENTITIES[who]) == expected


@pytest.mark.parametrize("text", NOTHING)
def test_ocr_lines_without_phi_give_nothing(text: str) -> None:
    for identity in IDENTITIES.values():
        assert spans_of(text, identity) == ()


def test_removing_a_rule_switches_it_off_in_ocr_lines_and_element_values() -> None:
    registry = default_registry()
    assert spans_of("18 August 2818", None, registry) == (("18 August 2818", 0, "DATE", 0.7, "ocr.month_date"),)
    registry.remove("ocr.month_date")
    assert spans_of("18 August 2818", None, registry) == ()
    registry.remove("pattern.date")
    assert spans_of("03/02/2017", None, registry) == ()
    assert registry.analyze("03/02/2017", "free") == []


def test_removing_the_technical_suppressor_lets_settings_text_through() -> None:
    """"C959" (a cut ID, or a window centre) is dropped as a setting unless ocr.technical is off."""
    registry = default_registry()
    assert spans_of("ID:  C959", None, registry) == ()
    assert isinstance(registry["ocr.technical"], Suppressor)
    registry.remove("ocr.technical")
    assert spans_of("ID:  C959", None, registry) == (("C959", 5, "ID", 0.8, "pattern.record_id"),)


def test_an_ocr_only_rule_reads_ocr_lines_and_their_rewrites_not_element_values() -> None:
    registry = default_registry().add(PatternRecognizer(
        rule="ocr.study_code", phi_type="ID", base_score=0.8, kinds=frozenset({"ocr"}), patterns=(r"\bSC-\d{4}\b",)))
    assert spans_of("Study SC-1234", None, registry) == (("SC-1234", 6, "ID", 0.8, "ocr.study_code"),)
    assert spans_of("Study SC-l234", None, registry) == (("SC-l234", 6, "ID", 0.8, "ocr.study_code"),)
    assert registry.analyze("Study SC-1234", "free") == []
    as_read_only = default_registry().add(PatternRecognizer(
        rule="ocr.study_code", phi_type="ID", kinds=frozenset({"ocr"}), patterns=(r"\bSC-\d{4}\b",),
        reads_rewrites=False))
    assert spans_of("Study SC-l234", None, as_read_only) == ()


def test_the_ocr_identity_index_is_built_once_per_identity(monkeypatch) -> None:
    built = []
    original = OcrIdentityIndex.__init__

    def counting(self, identity: Identity) -> None:
        built.append(identity)
        original(self, identity)

    monkeypatch.setattr(OcrIdentityIndex, "__init__", counting)
    identity = Identity(names=[PersonName.from_parts(["OYELARAN", "TEMITOPE"], "crossref.patient_name")])
    for text in ("Pt: OYELARAN TEMI", "OYELARAN TEMITOPE 12/03/1961", "kVp 120"):
        REGISTRY.analyze_ocr(text, identity)
    assert built == [identity]


def test_the_sex_marker_follows_any_member_that_reads_the_identity() -> None:
    """ocr.demographics asks which members found the name (those with needs_identity), not
    what their rule ids are called."""

    class Mrn(PatternRecognizer):
        def find(self, text: str, identity=None):
            return super().find(text) if identity is not None else iter(())

    text = "DAVIDSON DOUGLAS [M] 01.09.2012"
    registry = default_registry().remove("crossref").remove("crossref.ocr_identity")
    assert "[M]" not in [t for t, *_ in spans_of(text, IDENTITIES["davidson"], registry)]
    registry.add(Mrn(rule="site.patient_name", phi_type="NAME", patterns=(r"DAVIDSON DOUGLAS",), base_score=0.9,
                     kinds=frozenset({"ocr"}), needs_identity=True))
    assert ("[M]", 17, "OTHER", 0.6, "ocr.demographics") in spans_of(text, IDENTITIES["davidson"], registry)


def test_a_pickled_registry_reads_ocr_lines_the_same() -> None:
    """Process pools get the registry by pickling: rewrites and OCR members travel with it."""
    copy = pickle.loads(pickle.dumps(REGISTRY))
    assert copy.rules == REGISTRY.rules and copy.rewrites == REGISTRY.rewrites
    for text, who, expected in CASES[::10]:
        assert spans_of(text, IDENTITIES[who], copy) == expected


def test_suppressors_read_ocr_lines_only() -> None:
    class Everywhere(Suppressor):
        rule = "site.suppress"
        kinds = frozenset({"free", "ocr"})

    with pytest.raises(ValueError, match="OCR lines only"):
        Registry().add(Everywhere())
