"""English texts of the stats core (apps.climate.stats) marked for translation: the core
stays free of Django, so its index names, definitions and fixed notes are listed here for
makemessages to find; pages translate them with gettext() when shown. A test checks this list
against the core."""
from django.utils.translation import gettext_noop

INDEX_TEXTS = {
    "Rx1day": (gettext_noop('Max 1-day precipitation'),
               gettext_noop('Highest daily precipitation of the year.')),
    "Rx5day": (gettext_noop('Max 5-day precipitation'),
               gettext_noop('Highest precipitation total over 5 consecutive days.')),
    "PRCPTOT": (gettext_noop('Wet-day precipitation'),
               gettext_noop('Total precipitation of the year on wet days (at least 1 mm).')),
    "R10mm": (gettext_noop('Heavy precipitation days'),
               gettext_noop('Days with at least 10 mm.')),
    "R20mm": (gettext_noop('Very heavy precipitation days'),
               gettext_noop('Days with at least 20 mm.')),
    "SDII": (gettext_noop('Simple daily intensity'),
               gettext_noop('Wet-day precipitation divided by wet days.')),
    "R95p": (gettext_noop('Very wet days precipitation'),
               gettext_noop("Precipitation on wet days above the base period's 95th percentile of wet days.")),
    "CDD": (gettext_noop('Consecutive dry days'),
               gettext_noop('Longest run of days with less than 1 mm.')),
    "CWD": (gettext_noop('Consecutive wet days'),
               gettext_noop('Longest run of days with at least 1 mm.')),
    "SU35": (gettext_noop('Hot days'),
               gettext_noop('Days with maximum temperature above the hot-day threshold.')),
    "TX90p": (gettext_noop('Warm days'),
               gettext_noop("Share of days with maximum temperature above the base period's calendar-day 90th percentile.")),
    "TXx": (gettext_noop('Hottest day'),
               gettext_noop('Highest daily maximum temperature.')),
    "TNn": (gettext_noop('Coldest night'),
               gettext_noop('Lowest daily minimum temperature.')),
    "TR": (gettext_noop('Tropical nights'),
               gettext_noop('Nights with minimum temperature above the tropical-night threshold.')),
}

# Notes of annual_indices() that do not depend on the data (the default thresholds).
NOTE_TEXTS = [
    gettext_noop("Base period for percentiles: 1981-2010 (ETCCDI standard)."),
    gettext_noop("Hot days (SU35) count Tmax above 35 °C; tropical nights (TR) Tmin above 25 °C."),
    gettext_noop("A year's index is left out when its variable misses more than 15 days in the "
                 "year or more than 3 days in one of its months."),
]
