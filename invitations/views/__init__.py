"""Pages, one module per area. Thin: they read the request, call the domain and render."""
