"""Text that looks like PHI but is not: eponyms, vendors, technical settings, markers.

Written here by hand on purpose. The generator must not borrow phidetect's own
vocabulary (phidetect/data/vocabulary, phidetect/text): a detector scored on data
made from its own lists would look better than it is.
"""

from __future__ import annotations

#: Disease, anatomy and protocol names that carry a person's surname.
EPONYMS: tuple[str, ...] = (
    "Circle of Willis", "Crohn disease", "Parkinson protocol", "Hodgkin lymphoma",
    "Baker cyst", "Colles fracture", "Chiari malformation", "Alzheimer protocol",
    "Wilms tumor", "Ewing sarcoma", "Bankart lesion", "Hill-Sachs lesion",
    "Meckel diverticulum", "Morton neuroma", "Achilles tendon", "Graves disease",
    "Barrett esophagus", "Schmorl node", "Monteggia fracture", "Pouch of Douglas",
    "Huntington protocol", "Cushing syndrome", "Paget disease", "Hashimoto thyroiditis",
)

#: Manufacturer (as vendors write it in the header) -> model names, by modality.
VENDORS: dict[str, dict[str, tuple[str, ...]]] = {
    "CT": {"SIEMENS": ("SOMATOM Definition AS", "SOMATOM Force", "SOMATOM go.Top"),
           "GE MEDICAL SYSTEMS": ("Revolution CT", "Optima CT660", "LightSpeed VCT"),
           "Philips": ("Ingenuity CT", "iCT 256", "Brilliance 64"),
           "TOSHIBA": ("Aquilion ONE", "Aquilion PRIME")},
    "MR": {"SIEMENS": ("MAGNETOM Skyra", "MAGNETOM Aera", "MAGNETOM Vida"),
           "GE MEDICAL SYSTEMS": ("DISCOVERY MR750", "SIGNA Premier", "Optima MR450w"),
           "Philips Medical Systems": ("Ingenia", "Achieva"),
           "Canon Medical Systems": ("Vantage Titan", "Vantage Orian")},
    "CR": {"FUJIFILM Corporation": ("FCR Capsula XL", "FCR PROFECT CS"),
           "Agfa": ("CR 85-X", "DX-G"), "KODAK": ("CR 975", "DirectView CR 850")},
    "DX": {"Carestream Health": ("DRX-Evolution", "DRX-Revolution"),
           "Philips Medical Systems": ("DigitalDiagnost", "MobileDiagnost wDR"),
           "SIEMENS": ("Ysio Max", "Multix Fusion"), "Agfa": ("DX-D 500",)},
    "US": {"GE Healthcare": ("LOGIQ E10", "Voluson E8", "Vivid E95"),
           "Philips Medical Systems": ("EPIQ 7G", "Affiniti 70G"),
           "SIEMENS": ("ACUSON Sequoia", "ACUSON S2000"), "Samsung Medison": ("HS70A", "RS85")},
    "OT": {"Hologic": ("SecurView DX",), "NVIDIA Clara": ("Clara Viewer",),
           "Visage Imaging": ("Visage 7",), "Agfa": ("IMPAX 6",)},
}

#: Technical settings burned into images or written into descriptions.
TECHNICAL: tuple[str, ...] = (
    "kVp 120", "mAs 250", "W:400 L:40", "W:1500 L:-600", "W:80 L:40", "5.0mm", "DFOV 25cm",
    "ST 1.25mm", "FOV 240", "TR 500 TE 15", "18Hz", "C5-1", "TIS 0.4 MI 0.8", "Gn 60",
    "2D", "Se: 3", "Im: 12", "Tilt 0.0", "120 kV", "DLP 512", "CTDIvol 12.4", "3T", "1.5T",
    "Matrix 512", "Pitch 0.9", "SL 3.0",
)

#: Orientation and body markers burned into X-ray, CT and ultrasound images.
MARKERS: tuple[str, ...] = ("L", "R", "HEAD", "AXIAL", "SUPINE", "PA", "AP", "LAT", "CHEST",
                            "ABDOMEN", "CORONAL", "SAG", "PRONE", "ERECT")

#: Study and series descriptions without PHI, by modality.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "CT": ("CT HEAD WO CONTRAST", "CT CHEST W CONTRAST", "CT ABD PELVIS W", "CTA HEAD NECK",
           "CT SINUS", "CT C-SPINE WO"),
    "MR": ("MRI BRAIN W WO", "MR KNEE LT WO", "MRI L-SPINE", "MRA HEAD", "MR PELVIS", "MR SHOULDER RT"),
    "CR": ("XR CHEST PA LAT", "XR HAND 3V", "XR KNEE 2V", "XR PELVIS AP"),
    "DX": ("DX CHEST PORTABLE", "DX ANKLE 3V", "DX SPINE LUMBAR", "DX FOOT 2V"),
    "US": ("US ABDOMEN COMPLETE", "US RENAL", "US OB 2ND TRIM", "US THYROID", "ECHO TTE"),
    "OT": ("Secondary capture", "Key images", "3D reconstruction", "Dose report"),
}

SERIES: dict[str, tuple[str, ...]] = {
    "CT": ("AX 5.0 SOFT", "COR 3.0 BONE", "Scout", "AX 1.25 LUNG", "SAG MPR"),
    "MR": ("AX T2 FLAIR", "SAG T1", "DWI b1000", "COR STIR", "AX T1 POST GAD"),
    "CR": ("PA", "LAT", "AP"),
    "DX": ("AP", "LAT", "OBL"),
    "US": ("Cine loop", "Doppler", "B-mode", "Measurements"),
    "OT": ("Screen save", "VR", "Report page"),
}

#: Short clinical phrases for free text: no person, place or date in them.
CLINICAL: tuple[str, ...] = (
    "r/o fracture", "follow-up", "pain after fall", "known mass", "post-op check",
    "no prior imaging", "contrast allergy: none", "eval for PE", "headache", "staging",
)

#: Burned-in labels that come before a PHI value; not PHI themselves.
LABELS: dict[str, tuple[str, ...]] = {
    "ID": ("ID: ", "MRN: ", "PID ", "Pat ID: "),
    "DOB": ("DOB: ", "Born ", "DOB "),
    "DATE": ("", "Date: ", "Exam: "),
    "ACC": ("Acc: ", "ACC# ", "Accession "),
}
