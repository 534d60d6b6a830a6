"""Developer tools that are not shipped: mutation testing (``python -m devtools.mutation``)."""
