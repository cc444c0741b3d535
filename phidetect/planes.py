"""Where burned-in text can be: the plane of a data set it was read in and the view it
was read through. Typed here so stages never pass or re-parse strings; the findings and
boxes tables keep the text forms (``Plane.value``: ``"image"``, ``"overlay:6000"``,
``"icon"``)."""

from __future__ import annotations

from enum import Enum


class Plane(Enum):
    """A plane that may carry burned-in text: the stored image, one of the 16 overlay
    groups (0x6000-0x601E) or the icon thumbnail. ``Plane("overlay:6002")`` reads the
    table's text form back."""

    IMAGE = "image"
    ICON = "icon"
    OVERLAY_6000 = "overlay:6000"
    OVERLAY_6002 = "overlay:6002"
    OVERLAY_6004 = "overlay:6004"
    OVERLAY_6006 = "overlay:6006"
    OVERLAY_6008 = "overlay:6008"
    OVERLAY_600A = "overlay:600A"
    OVERLAY_600C = "overlay:600C"
    OVERLAY_600E = "overlay:600E"
    OVERLAY_6010 = "overlay:6010"
    OVERLAY_6012 = "overlay:6012"
    OVERLAY_6014 = "overlay:6014"
    OVERLAY_6016 = "overlay:6016"
    OVERLAY_6018 = "overlay:6018"
    OVERLAY_601A = "overlay:601A"
    OVERLAY_601C = "overlay:601C"
    OVERLAY_601E = "overlay:601E"

    @classmethod
    def overlay(cls, group: int) -> Plane:
        """The plane of overlay group ``group`` (0x6000, 0x6002, ... 0x601E)."""
        return cls(f"overlay:{group:04X}")

    @classmethod
    def parse(cls, text: object) -> Plane:
        """A table's plane text (empty or missing: the image) as a Plane; ValueError names
        what is not one."""
        value = "" if text is None else str(text).strip()
        if value.lower() in ("", "nan", "<na>", "none"):
            return cls.IMAGE
        kind, _, group = value.partition(":")
        try:
            return cls(f"{kind.lower()}:{group.upper()}" if group else kind.lower())
        except ValueError:
            raise ValueError(f"unknown plane {text!r}: image, icon or overlay:6000..overlay:601E") from None

    @property
    def group(self) -> int | None:
        """The overlay group (0x6000...), None for the image and the icon."""
        return int(self.value.split(":", 1)[1], 16) if self.is_overlay else None

    @property
    def is_overlay(self) -> bool:
        return self.value.startswith("overlay:")


class View(Enum):
    """How a plane was made visible before it was read: as a viewer shows it, every stored
    value stretched into view (text the display window hides), or the temporal median of
    a cine's sampled frames (steady text crisp, moving anatomy blurred out)."""

    DISPLAY = "display"
    FULL_RANGE = "full range"
    STEADY = "steady"
