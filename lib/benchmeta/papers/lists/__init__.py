"""One parser module per curated paper list, and the registry of the lists' facts."""
