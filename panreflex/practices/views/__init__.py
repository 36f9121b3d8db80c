"""Views of practice examples, one module per concern (thin: access first, then a service or selector)."""
