#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    from django.core.management import execute_from_command_line

    from casetracker.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        sys.exit(f"casetracker: configuration error: {error}")


if __name__ == "__main__":
    main()
