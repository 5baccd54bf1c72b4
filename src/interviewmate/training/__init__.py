"""Training entry points: one function per model (generator, retriever, router) plus search and callbacks."""
