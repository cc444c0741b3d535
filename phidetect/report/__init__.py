"""The HTML report: one self-contained page (summary, findings per file with pictures of
the boxes, errors) that opens from file:// without a server.

    >>> from phidetect.report import write_report
    >>> write_report(phidetect.scan("folder/", ocr=True), "report.html", root="folder/")
    >>> write_sweep_report("sweep/", "report.html", root="folder/")   # a sweep folder, any size
"""

from phidetect.report.build import (
    DEFAULT_DETAIL_FILES,
    DEFAULT_MAX_THUMBNAILS,
    DEFAULT_TABLE_FILES,
    mask_text,
    render_report,
    render_sweep_report,
    write_report,
    write_sweep_report,
)

__all__ = ["DEFAULT_DETAIL_FILES", "DEFAULT_MAX_THUMBNAILS", "DEFAULT_TABLE_FILES", "mask_text", "render_report",
           "render_sweep_report", "write_report", "write_sweep_report"]
