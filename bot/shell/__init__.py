"""The `try` runner, the shell and the demo network: loaded only by `python -m bot try` and the
tests, never by the bot itself, so a production install needs neither the emulator nor `rich`."""
