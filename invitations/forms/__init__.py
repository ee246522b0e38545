"""The web forms, one module per package they feed: they parse what was typed; the domain decides."""
