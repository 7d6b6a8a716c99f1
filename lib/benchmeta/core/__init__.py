"""Foundation: paths, errors, atomic writes, manifest, tables and their schemas, provenance,
identifiers and the reference study's numbers; ``http`` and ``checkpoint`` serve only collectors."""
