"""The public MME test vectors of the CDC/HL7 opioid MME guide, recomputed under CDC 2022.

Source of the input vectors: github.com/cqframework/opioid-mme-r4 (the CDS Connect / HL7 FHIR
"Opioid MME" implementation guide): input/cql/OMTKLogicTests.cql (TestDrugs),
input/cql/ConversionFactorsTests.cql (TestGetConversionFactor_*) and
input/tests/MMECalculatorTests/*/ (TotalMME of each test patient). Only the inputs are taken;
the guide's expectations use the CDC 2016 factors, so each expectation below is recomputed with
the CDC 2022 table (oih-facts section 5) and the 2016 figure is kept beside it for reference.
Prescriptions are turned into the intake's daily dose: strength x dose quantity x doses per day
(mg/day), or the patch strength in mcg/hr.
"""

import pytest

from intake.screening import compute_mme, screen
from tests.screening.documents import make_document, opioid


def patch(name, mcg_per_hour):
    return opioid(name, mcg_per_hour, "mcg/hr", formulation="transdermal_patch")


# (vector name in the guide, the intake's opioid, MME/day under 2016 in the guide, under 2022)
VECTORS = [
    # OMTKLogicTests.cql, TestDrugs
    ("TestDrug_Fentanyl_Transdermal 25 mcg/hr", patch("fentanyl", 25), 60, 60.0),
    ("TestDrug_Fentanyl_0375_Transdermal 37.5 mcg/hr", patch("fentanyl", 37.5), 90, 90.0),
    # 10 mg tablets, 2 tablets 3 times a day: 2016 tiered factor 10, 2022 single factor 4.7.
    ("TestDrug_Methadone 10 mg x 2 x 3/day", opioid("methadone", 60), 600, 282.0),
    ("TestDrug_Oxycodone 10 mg x 1 x 4/day", opioid("oxycodone", 40), 60, 60.0),
    (
        "TestDrug_Oxycodone_ER 30 mg x 1 x 2/day",
        opioid("oxycodone", 60, formulation="extended_release"),
        90,
        90.0,
    ),
    # Transmucosal fentanyl had 2016 factors (160, 180); the 2022 table has none, so no total.
    (
        "TestDrug_Fentanyl_Spray 0.4 mg x 3/day",
        opioid("fentanyl", 1.2, formulation="other"),
        192,
        None,
    ),
    (
        "TestDrug_Fentanyl_Film 1.2 mg x 2/day",
        opioid("fentanyl", 2.4, formulation="sublingual"),
        432,
        None,
    ),
    (
        "TestDrug_Fentanyl_Mucosal_Spray 0.1 mg x 3/day",
        opioid("fentanyl", 0.3, formulation="other"),
        48,
        None,
    ),
    # Fentanyl with ropivacaine by injection: no factor in either table.
    ("TestDrug_Fentanyl_Injection", opioid("fentanyl", 0.004, formulation="other"), None, None),
    # MMECalculatorTests: TotalMME of each test patient
    (
        "patient-mme-greater-than-fifty: fentanyl 75 mcg/hr every 3 days",
        patch("fentanyl", 75),
        180,
        180.0,
    ),
    ("patient-mme-less-than-fifty: oxycodone 10 mg every 12 h", opioid("oxycodone", 20), 30, 30.0),
    (
        "patient-mme-with-timeofday: oxycodone 10 mg at 10:00 and 22:00",
        opioid("oxycodone", 20),
        30,
        30.0,
    ),
    # ConversionFactorsTests.cql, TestGetConversionFactor_* (one day's dose of that strength)
    ("TestGetConversionFactor_2670 codeine 12.5 mg", opioid("codeine", 12.5), 1.875, 1.9),
    (
        "TestGetConversionFactor_3423 hydromorphone 1 mg (2016 factor 4)",
        opioid("hydromorphone", 1),
        4,
        5.0,
    ),
    ("TestGetConversionFactor_5489 hydrocodone 10 mg", opioid("hydrocodone", 10), 10, 10.0),
    (
        "TestGetConversionFactor_6813 methadone 10 mg (2016 factor 4)",
        opioid("methadone", 10),
        40,
        47.0,
    ),
    (
        "TestGetConversionFactor_6813_30 methadone 30 mg (2016 factor 8)",
        opioid("methadone", 30),
        240,
        141.0,
    ),
    (
        "TestGetConversionFactor_6813_50 methadone 50 mg (2016 factor 10)",
        opioid("methadone", 50),
        500,
        235.0,
    ),
    (
        "TestGetConversionFactor_6813_70 methadone 70 mg (2016 factor 12)",
        opioid("methadone", 70),
        840,
        329.0,
    ),
    ("TestGetConversionFactor_7052 morphine 10 mg", opioid("morphine", 10), 10, 10.0),
    (
        "TestGetConversionFactor_7804 oxycodone 36 mg ER",
        opioid("oxycodone", 36, formulation="extended_release"),
        54,
        54.0,
    ),
    ("TestGetConversionFactor_7814 oxymorphone 10 mg", opioid("oxymorphone", 10), 30, 30.0),
    (
        "TestGetConversionFactor_4337_TransdermalSystem fentanyl 12 mcg/hr",
        patch("fentanyl", 12),
        28.8,
        28.8,
    ),
    (
        "TestGetConversionFactor_4337 fentanyl 0.1 mg buccal tablet",
        opioid("fentanyl", 0.1, formulation="other"),
        None,
        None,
    ),
    # No factor in the guide's 2016 data; CDC 2022 has one.
    ("TestGetConversionFactor_10689 tramadol 100 mg", opioid("tramadol", 100), None, 20.0),
    ("TestGetConversionFactor_787390 tapentadol 50 mg", opioid("tapentadol", 50), None, 20.0),
    # Opioids outside the CDC 2022 table: entered as `other`, never converted.
    (
        "TestGetConversionFactor_6378 levorphanol 2 mg",
        opioid("other", 2, other_name="levorphanol"),
        None,
        None,
    ),
    (
        "TestGetConversionFactor_6754 meperidine 100 mg",
        opioid("other", 100, other_name="meperidine"),
        None,
        None,
    ),
    (
        "TestGetConversionFactor_8001 pentazocine 50 mg",
        opioid("other", 50, other_name="pentazocine"),
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("opioid_entry", "mme_2016", "mme_2022"),
    [vector[1:] for vector in VECTORS],
    ids=[vector[0] for vector in VECTORS],
)
def test_the_guide_vector_gives_its_cdc_2022_mme(opioid_entry, mme_2016, mme_2022):
    mme = compute_mme([opioid_entry])

    assert mme["total_per_day"] == mme_2022
    assert mme["items"][0]["mme_per_day"] == mme_2022
    assert mme["computable"] is (mme_2022 is not None)


# The buprenorphine exception: the guide gives no factor for the patch (TestGetConversionFactor_1819,
# 0.02 mg/h transdermal) nor the film (_1819_Film, 0.075 mg buccal); ruling 7 shows them and never
# adds them, and buprenorphine alone is nothing to compute rather than a failure to compute.
BUPRENORPHINE_VECTORS = [
    ("TestGetConversionFactor_1819 patch 20 mcg/hr", patch("buprenorphine", 20)),
    (
        "TestGetConversionFactor_1819_Film 0.075 mg x 2/day",
        opioid("buprenorphine", 0.15, formulation="sublingual"),
    ),
]


@pytest.mark.parametrize(
    "buprenorphine",
    [vector[1] for vector in BUPRENORPHINE_VECTORS],
    ids=[vector[0] for vector in BUPRENORPHINE_VECTORS],
)
def test_buprenorphine_vectors_are_shown_and_never_added(buprenorphine):
    alone = screen(make_document(opioids=[buprenorphine]))
    beside = compute_mme([buprenorphine, opioid("oxycodone", 40)])

    assert (alone["mme"]["total_per_day"], alone["mme"]["computable"], alone["alerts"]) == (
        None,
        True,
        [],
    )
    assert alone["mme"]["items"][0]["why"] == "buprenorphine"
    assert (beside["total_per_day"], beside["computable"]) == (60.0, True)
