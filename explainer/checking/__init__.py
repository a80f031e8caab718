"""Checking the data: a data folder in, a Dataset and a Report out."""
