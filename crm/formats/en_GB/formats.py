"""British English dates with 24-hour times: Django's en_GB says "9 a.m.", noghost's pages say "09:00"."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
