"""The HTML report: one self-contained page (summary, findings per file with pictures of
the boxes, errors) that opens from file:// without a server.

    >>> from phidetect.report import write_report
    >>> write_report(phidetect.scan("folder/", ocr=True), "report.html", root="folder/")
"""

from phidetect.report.build import DEFAULT_MAX_THUMBNAILS, mask_text, render_report, write_report

__all__ = ["DEFAULT_MAX_THUMBNAILS", "mask_text", "render_report", "write_report"]
