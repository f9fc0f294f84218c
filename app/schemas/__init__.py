"""Request and response models, shared by the API and the services."""
