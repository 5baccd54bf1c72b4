"""FastAPI web app: a thin shell over the services."""
