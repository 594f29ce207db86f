"""cchc: open platform for administrative reform (cải cách hành chính) in Vietnamese provinces."""

__version__ = "0.1.0"
