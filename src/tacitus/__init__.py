"""Tacitus: political event data (CAMEO/PLOVER) from news and official statements."""
__version__ = "0.1.0"
