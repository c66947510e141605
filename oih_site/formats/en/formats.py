# US dates for a US clinic, with the month's whole name ("May 14, 1968", "February 28, 1971")
# rather than Django's AP abbreviations ("Feb. 28, 1971"). Every other format, and Spanish,
# comes from Django's own locale files.
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, P"
