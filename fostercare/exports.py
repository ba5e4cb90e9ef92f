"""Export formats that a spreadsheet cannot be tricked into running (CSV injection).

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula; a family's name such as ``=HYPERLINK(...)`` would run
when finance opens the export. Such a cell is written with a leading apostrophe, which
the spreadsheet shows as text (OWASP's advice). Plain numbers such as ``-12.50`` are
left alone. django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only
strips a leading ``=``, so these formats do the whole job for every admin export.
"""

import re

from import_export.formats import base_formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


class SafeFormatMixin:
    def export_data(self, dataset, **kwargs):
        for _ in range(dataset.height):
            dataset.append([escape_formula(cell) for cell in dataset.lpop()])
        return super().export_data(dataset, **kwargs)


class SafeCSV(SafeFormatMixin, base_formats.CSV):
    pass


class SafeXLSX(SafeFormatMixin, base_formats.XLSX):
    pass


class SafeTSV(SafeFormatMixin, base_formats.TSV):
    pass


class SafeODS(SafeFormatMixin, base_formats.ODS):
    pass


# CSV first: the admin's format "0", which the import tests and people rely on.
EXPORT_FORMATS = [
    fmt for fmt in (SafeCSV, SafeXLSX, SafeTSV, SafeODS, base_formats.JSON) if fmt.is_available()
]
