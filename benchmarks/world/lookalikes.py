"""Medical words that look like names or identifiers but are not PHI.

Written for this benchmark from clinical knowledge (not copied from phidetect's
vocabulary): eponymous signs, fractures, classifications, anatomy, syndromes, drugs,
contrast agents, radiotracers, MR sequences, protocols, vendors and scanner models.
``phrase(kind, rng)`` draws one; ``KINDS`` names the lists.
"""

from __future__ import annotations

import random

SIGNS = [
    "Kerley B lines", "Hampton hump", "Westermark sign", "Murphy sign", "McBurney point tenderness",
    "Rovsing sign", "Chilaiditi sign", "Golden S sign", "Rigler sign", "Fleischner sign", "Hill-Sachs lesion",
    "Bankart lesion", "Terry Thomas sign", "Spalding sign", "Lhermitte sign", "Battle sign", "Courvoisier sign",
    "Grey Turner sign", "Cullen sign", "Kehr sign", "Homans sign", "Tinel sign", "Phalen test", "Lachman test",
    "McMurray test", "Hawkins test", "Neer impingement sign", "Finkelstein test", "Codman triangle",
    "Luftsichel sign", "Hampton line", "Kerley A lines", "Wimberger ring", "Frostberg sign", "Stierlin sign",
    "Naclerio V sign", "Carman meniscus sign", "Hickey sign", "Ranke complex", "Ghon focus",
]

FRACTURES = [
    "Colles fracture", "Smith fracture", "Barton fracture", "Bennett fracture", "Rolando fracture",
    "Jones fracture", "Maisonneuve fracture", "Monteggia fracture-dislocation", "Galeazzi fracture",
    "Chance fracture", "Jefferson fracture", "Lisfranc injury", "Tillaux fracture", "Segond fracture",
    "Hangman fracture", "Essex-Lopresti injury", "Stieda fracture", "Pott fracture", "Hoffa fracture",
    "Holstein-Lewis fracture", "Bosworth fracture-dislocation", "Dupuytren fracture", "Clay-shoveler fracture",
    "Chopart dislocation", "Pellegrini-Stieda lesion", "Malgaigne fracture", "Duverney fracture",
    "Hutchinson fracture", "Boxer fracture", "Wagstaffe-Le Fort fracture", "Le Fort II fracture",
]

CLASSIFICATIONS = [
    "Weber B", "Weber C", "Salter-Harris II", "Salter-Harris IV", "Garden III", "Garden IV", "Neer four-part",
    "Schatzker II", "Schatzker VI", "Gustilo IIIA", "Bosniak IIF", "Bosniak III", "BI-RADS 4A", "BI-RADS 2",
    "LI-RADS 3", "LI-RADS 5", "PI-RADS 4", "TI-RADS 3", "O-RADS 2", "Lauge-Hansen SER IV", "Denis three-column",
    "Frykman VII", "Mason type II", "Hawkins type II", "Anderson-D'Alonzo type II", "Sanders type III",
    "Rockwood type III", "Ficat stage II", "Kellgren-Lawrence grade 3", "Fazekas grade 2",
    "Spetzler-Martin grade III", "modified Fisher grade 3", "Hunt and Hess grade 2", "Ann Arbor stage IIB",
    "Gleason 3+4", "Meyerding grade 1", "Pfirrmann grade IV", "Modic type 1", "Outerbridge grade III",
    "Tönnis grade 2", "Crowe type II", "Paprosky 2B", "Vancouver B2", "Hinchey Ib", "Balthazar grade C",
    "Lugano stage II", "Deauville score 4", "Bethesda IV", "Ottawa ankle rules", "Wells score 4",
    "Stanford type A", "DeBakey type I", "Mayfield stage 3", "Tossy III", "Bankart-Perthes variant",
]

ANATOMY = [
    "Morison pouch", "pouch of Douglas", "circle of Willis", "foramen of Monro", "ligament of Treitz",
    "Hoffa fat pad", "Kager fat pad", "Sylvian fissure", "Meckel diverticulum", "Baker cyst", "Tarlov cyst",
    "Schmorl node", "Virchow node", "Sister Mary Joseph nodule", "Bochdalek hernia", "Morgagni hernia",
    "Spigelian hernia", "Zenker diverticulum", "Killian dehiscence", "Eustachian tube", "Wharton duct",
    "Stensen duct", "duct of Wirsung", "duct of Santorini", "Glisson capsule", "Gerota fascia", "Scarpa fascia",
    "Hesselbach triangle", "Calot triangle", "Alcock canal", "Guyon canal", "Hunter canal", "Batson plexus",
    "artery of Adamkiewicz", "Bartholin gland", "Achilles tendon", "Wormian bones", "uncovertebral joints of Luschka",
    "Rathke cleft cyst", "Meckel cave", "Dorello canal", "Kiesselbach plexus", "Waldeyer ring", "space of Retzius",
    "Denonvilliers fascia", "sphincter of Oddi", "ampulla of Vater", "Peyer patches", "Kupffer cells",
]

SYNDROMES = [
    "Crohn disease", "Hodgkin lymphoma", "Wilms tumour", "Ewing sarcoma", "Kaposi sarcoma", "Paget disease",
    "Graves disease", "Hashimoto thyroiditis", "Addison disease", "Cushing syndrome", "Conn syndrome",
    "Marfan syndrome", "Ehlers-Danlos syndrome", "Down syndrome", "Turner syndrome", "Klinefelter syndrome",
    "Sjögren syndrome", "Behçet disease", "Takayasu arteritis", "Kawasaki disease", "Legg-Calvé-Perthes disease",
    "Osgood-Schlatter disease", "Sinding-Larsen-Johansson syndrome", "Kienböck disease", "Freiberg infraction",
    "Köhler disease", "Scheuermann disease", "Budd-Chiari syndrome", "Caroli disease", "Wilson disease",
    "Gaucher disease", "Niemann-Pick disease", "Alzheimer disease", "Parkinson disease", "Huntington disease",
    "Creutzfeldt-Jakob disease", "Guillain-Barré syndrome", "Dandy-Walker malformation", "Chiari I malformation",
    "Sturge-Weber syndrome", "von Hippel-Lindau disease", "Wernicke encephalopathy", "Charcot joint",
    "Hirschsprung disease", "Peutz-Jeghers syndrome", "Mallory-Weiss tear", "Boerhaave syndrome",
    "Ogilvie syndrome", "Fitz-Hugh-Curtis syndrome", "Meigs syndrome", "Krukenberg tumour", "Klatskin tumour",
    "Brodie abscess", "Pancoast tumour", "Poland syndrome", "Kartagener syndrome", "Swyer-James syndrome",
    "Erdheim-Chester disease", "Langerhans cell histiocytosis", "Rosai-Dorfman disease", "Castleman disease",
    "Kikuchi disease", "Baastrup disease", "Forestier disease", "Bertolotti syndrome", "Tietze syndrome",
    "Mondor disease", "Dressler syndrome", "Brugada pattern", "Ebstein anomaly", "Eisenmenger syndrome",
    "tetralogy of Fallot", "Kommerell diverticulum", "Burkitt lymphoma", "Waldenström macroglobulinaemia",
    "Bell palsy", "Horner syndrome", "Tolosa-Hunt syndrome", "Lemierre syndrome", "Pott disease",
]

DRUGS = [
    "metformin", "apixaban", "rivaroxaban", "dabigatran", "warfarin", "heparin", "enoxaparin", "clopidogrel",
    "atorvastatin", "amlodipine", "lisinopril", "furosemide", "omeprazole", "pantoprazole", "levothyroxine",
    "prednisolone", "dexamethasone", "methotrexate", "rituximab", "pembrolizumab", "nivolumab", "bevacizumab",
    "trastuzumab", "tamoxifen", "letrozole", "cisplatin", "carboplatin", "paclitaxel", "gemcitabine",
    "capecitabine", "imatinib", "glucagon", "Buscopan", "lorazepam", "midazolam", "fentanyl", "propofol",
    "ketamine", "paracetamol", "ibuprofen", "diclofenac", "tramadol", "morphine", "ondansetron",
    "metoclopramide", "ceftriaxone", "amoxicillin", "Augmentin", "vancomycin", "piperacillin-tazobactam",
    "meropenem", "artemether-lumefantrine", "isoniazid", "rifampicin", "ethambutol", "pyrazinamide",
    "tenofovir", "dolutegravir", "efavirenz", "lamivudine", "insulin glargine", "sitagliptin", "empagliflozin",
    "dapagliflozin", "spironolactone", "bisoprolol", "carvedilol", "digoxin", "amiodarone", "adenosine",
    "regadenoson", "dobutamine", "atropine", "salbutamol", "tiotropium", "montelukast", "Keytruda", "Xarelto",
    "Eliquis", "Lasix", "Coartem", "Herceptin", "Avastin", "Zometa", "denosumab", "Prolia", "Ozempic",
]

CONTRAST = [
    "Omnipaque 350", "Omnipaque 300", "Visipaque 320", "Iopamiro 370", "Isovue 370", "Ultravist 370",
    "Optiray 350", "Xenetix 350", "Iomeron 400", "Gadovist", "Dotarem", "Clariscan", "ProHance", "MultiHance",
    "Magnevist", "Omniscan", "Eovist", "Primovist", "Elucirem", "Vueway", "Gastrografin", "Telebrix",
    "Readi-Cat", "Lipiodol", "SonoVue", "Definity", "Optison", "Feraheme", "gadobutrol", "gadoterate",
    "iohexol", "iodixanol", "iopromide",
]

TRACERS = [
    "FDG", "18F-FDG", "Ga-68 DOTATATE", "Ga-68 PSMA-11", "F-18 PSMA-1007", "Pylarify", "Illuccix", "Locametz",
    "Axumin", "fluciclovine", "Amyvid", "Vizamyl", "Neuraceq", "Tauvid", "DaTscan", "Tc-99m MDP", "Tc-99m HDP",
    "Tc-99m sestamibi", "Cardiolite", "Myoview", "Tc-99m MAG3", "Tc-99m DTPA", "Tc-99m DMSA", "Tc-99m MAA",
    "Tc-99m sulfur colloid", "Ceretec", "Neurolite", "In-111 octreotide", "Octreoscan", "I-123 MIBG",
    "AdreView", "I-131", "Rb-82", "N-13 ammonia", "F-18 NaF", "F-18 fluorocholine", "C-11 choline",
    "Cerianna", "Detectnet", "Ga-67 citrate", "Tl-201",
]

THERAPIES = ["Lutathera", "Pluvicto", "Xofigo", "Zevalin", "I-131 ablation", "Y-90 SIR-Spheres",
             "TheraSphere", "Azedra"]

SEQUENCES = [
    "T1 MPRAGE", "T2 FLAIR", "T2 SPACE", "DWI b1000", "ADC map", "SWI", "GRE T2*", "STIR", "TSE T2", "HASTE",
    "TrueFISP", "FIESTA", "balanced SSFP", "VIBE", "LAVA", "THRIVE", "BLADE", "PROPELLER", "RESOLVE", "DIXON",
    "mDIXON", "IDEAL", "TOF MRA", "PC MRA", "ASL", "pCASL", "DCE", "DSC perfusion", "3D MRCP", "CISS", "DESS",
    "MEDIC", "CUBE", "BRAVO", "FSPGR", "SPGR", "EPI", "StarVIBE", "TWIST", "CAIPIRINHA", "GRAPPA", "SENSE",
    "ASSET", "Compressed SENSE", "Deep Resolve", "AIR Recon DL", "SmartSpeed", "MAVRIC", "SEMAC", "WARP",
]

PROTOCOLS = [
    "CT KUB", "CTPA", "CT IVU", "CT colonography", "CTA circle of Willis", "HRCT chest", "CT calcium score",
    "MR enterography", "MR defecography", "multiparametric MR prostate", "triphasic liver CT",
    "pancreas protocol CT", "code stroke protocol", "trauma pan-scan", "low-dose lung screening CT",
    "ECG-gated CTA", "DXA hip and spine", "breast tomosynthesis", "carotid Doppler", "TTE", "TOE",
    "whole-body PET/CT", "sentinel node lymphoscintigraphy", "HIDA scan", "gastric emptying study", "MUGA",
    "V/Q scan", "Meckel scan", "MR cholangiography", "MR arthrogram", "cone beam CT", "OPG",
    "barium swallow", "HSG", "MCUG", "IVP",
]

VENDORS = [
    "Siemens Healthineers", "GE HealthCare", "Philips", "Canon Medical", "Toshiba", "Hitachi", "Fujifilm",
    "Carestream", "Agfa", "Konica Minolta", "Hologic", "Samsung Medison", "Mindray", "United Imaging",
    "Neusoft", "Esaote", "Shimadzu", "Planmeca", "Dentsply Sirona", "Vatech", "Bracco", "Bayer", "Guerbet",
    "Lantheus", "Elekta", "Varian", "Accuray", "Brainlab", "Medtronic", "Stryker",
]

MODELS = [
    "Magnetom Skyra 3T", "Magnetom Vida", "Magnetom Prisma", "Magnetom Aera 1.5T", "Magnetom Sola",
    "Magnetom Lumina", "Magnetom Avanto", "Magnetom Espree", "Signa Premier", "Signa Architect",
    "Signa Artist", "Signa HDxt", "Signa Voyager", "Ingenia Elition", "Ingenia Ambition", "Achieva 3.0T",
    "Vantage Orian", "Vantage Titan", "Vantage Galan", "Somatom Force", "Somatom Definition AS+",
    "Somatom Drive", "Somatom go.Top", "Naeotom Alpha", "Revolution CT", "Revolution Apex", "Optima CT660",
    "LightSpeed VCT", "Discovery MI", "Discovery 710", "Biograph Vision", "Biograph mCT", "uMI 550", "uCT 760",
    "Aquilion ONE", "Aquilion Prime", "Aquilion Lightning", "IQon Spectral CT", "Brilliance iCT",
    "Incisive CT", "Vereos PET/CT", "Symbia Intevo", "Senographe Pristina", "Selenia Dimensions",
    "Mammomat Revelation", "Voluson E10", "Logiq E10", "Epiq Elite", "Affiniti 70", "Acuson Sequoia",
    "Aplio i800", "Resona 7", "Artis zee", "Azurion 7", "Allura Xper FD20", "Innova IGS 530", "Ysio Max",
    "Luminos dRF", "DigitalDiagnost C90", "Discovery XR656", "DRX-Evolution", "Lunar iDXA", "Horizon A",
]

DEPARTMENTS = [
    "radiology", "ED", "A&E", "ICU", "HDU", "NICU", "theatre", "oncology", "urology", "orthopaedics",
    "neurosurgery", "vascular surgery", "the stroke team", "the MDT", "the on-call registrar", "the ward",
    "cardiology", "hepatology", "nephrology", "rheumatology", "the breast clinic", "the fracture clinic",
    "paediatrics", "obstetrics", "gynaecology", "ENT", "maxillofacial", "nuclear medicine", "IR",
    "the referring team", "the GP", "the physio team", "pharmacy", "the TB clinic", "the HIV clinic",
]

KINDS: dict[str, list[str]] = {
    "sign": SIGNS, "fracture": FRACTURES, "classification": CLASSIFICATIONS, "anatomy": ANATOMY,
    "syndrome": SYNDROMES, "drug": DRUGS, "contrast": CONTRAST, "tracer": TRACERS, "therapy": THERAPIES,
    "sequence": SEQUENCES, "protocol": PROTOCOLS, "vendor": VENDORS, "model": MODELS, "dept": DEPARTMENTS,
}

#: Kinds that are eponyms or products, the ones a name detector is tempted by.
TEMPTING = ["sign", "fracture", "classification", "anatomy", "syndrome", "drug", "contrast", "tracer",
            "therapy", "sequence", "model", "vendor"]


def phrase(kind: str, rng: random.Random) -> str:
    """One look-alike of ``kind`` (a key of ``KINDS``)."""
    return rng.choice(KINDS[kind])
