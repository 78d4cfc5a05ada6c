"""Running it: settings, embedded servers, the supervisor, a service's runtime, the CLI."""
