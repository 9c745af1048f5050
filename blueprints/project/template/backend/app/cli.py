"""Administration commands, e.g. ``python -m app.cli create-admin --email ...``."""

import argparse
import getpass
import sys
from collections.abc import Sequence

from app.core.errors import ConflictError
from app.db import SessionLocal
from app.services.identity import IdentityService


def create_admin(email: str, password: str, tenant: str) -> str:
    """Create a tenant and its first admin; return a line saying what was made."""
    with SessionLocal() as session:
        identity = IdentityService(session).create_admin(email, password, tenant)
        return (
            f"created tenant {identity.tenant.name!r} ({identity.tenant.id}) "
            f"and its admin {identity.user.email}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 0 on success, 1 on a conflict, 2 on bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create a tenant and its admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--tenant", required=True, help="the tenant's name")
    admin.add_argument(
        "--password", help="read from the terminal when left out (kept out of history)"
    )
    arguments = parser.parse_args(argv)
    password = arguments.password or getpass.getpass("Password: ")
    if len(password) < 8:
        parser.error("the password must have at least 8 characters")
    try:
        print(create_admin(arguments.email, password, arguments.tenant))
    except ConflictError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
