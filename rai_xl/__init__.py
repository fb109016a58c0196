"""rai-xl: the ASEAN Responsible AI Roadmap (2025–2030) readiness self-assessment as an Excel workflow."""

__version__ = "0.1.0"
