"""Schemas of the data_processed tables written by 07's passport section (declared once)."""
