"""The look both workbooks share: one house style for titles, table headers and notes."""

from __future__ import annotations

from typing import Any

NAVY = "#1F3864"
SHARED: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "font_color": NAVY},
    "header": {"bold": True, "bg_color": NAVY, "font_color": "#FFFFFF", "text_wrap": True, "valign": "vcenter", "border": 1},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
}
