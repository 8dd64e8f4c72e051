"""The local stack: the emulators and services on this machine, for `make run` and the tests."""
