"""Synthetic iWmo/iJw inbox for demos and tests."""

from sdw.demo.generator import generate

__all__ = ["generate"]
