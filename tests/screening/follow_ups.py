"""Visits for the follow-up rules' tests (screening.follow_up): plain values, dates passed in."""

import datetime

from intake.screening.follow_up import Visit

START = datetime.date(2026, 5, 1)


def item(name, daily_dose, unit="mg/day", formulation="extended_release", **fields):
    return {
        "name": name,
        "daily_dose": daily_dose,
        "unit": unit,
        "formulation": formulation,
        **fields,
    }


def visit(opioids, *, day=0, pain=8, taking_now=True):
    return Visit(
        on=START + datetime.timedelta(days=day),
        opioids=tuple(opioids),
        taking_now=taking_now,
        pain=pain,
    )


MORPHINE_120 = [item("morphine", 120)]
MORPHINE_80 = [item("morphine", 80)]
BUPRENORPHINE_16_SL = [item("buprenorphine", 16, formulation="sublingual")]
BUTRANS_10 = [item("buprenorphine", 10, "mcg/hr", "transdermal_patch")]
METHADONE_20 = [item("methadone", 20, formulation="immediate_release")]
LEVORPHANOL_4 = [item("other", 4, formulation="immediate_release", other_name="levorphanol")]
