"""Dev tooling of the documentation site (mkdocs.yml): the griffe extension, the API coverage check and the
headless-browser check of the built site."""
