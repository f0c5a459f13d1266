"""Officer accounts, their second factor and loading the signed-in officer."""
