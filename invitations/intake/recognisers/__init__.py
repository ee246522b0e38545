"""One small module per platform (its senders and wording, as data), a generic one for people
writing directly, and the registry that picks one for a message (registry.recognise)."""
