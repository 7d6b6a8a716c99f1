"""Collectors: the only code that writes ``data_raw/``. Each module exposes ``main(argv)``."""
